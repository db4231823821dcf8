/** The part of autocannon 9's API that bench/public-locate.ts uses (the package ships no types). */
declare module 'autocannon' {
  interface RequestParams { method?: string; path?: string; headers?: Record<string, string>; body?: string }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    requests?: (RequestParams & { setupRequest?: (req: RequestParams) => RequestParams })[];
  }
  interface Histogram { average: number; mean: number; p50: number; p97_5: number; p99: number; max: number; total: number }
  interface Result { requests: Histogram; latency: Histogram; throughput: Histogram; errors: number; timeouts: number; non2xx: number; '2xx': number }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
