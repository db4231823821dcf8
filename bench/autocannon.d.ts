/** The part of autocannon 9's API that bench/public-locate.ts and bench/reliability-workloads.ts use (the package ships no types). */
declare module 'autocannon' {
  interface RequestParams {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }
  /** Called with every answer; headers as sent (names in the server's case). */
  type OnResponse = (
    status: number,
    body: string,
    context: Record<string, unknown>,
    headers: Record<string, string | string[]>,
  ) => void;
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    /** Stop after this many requests (instead of after `duration`). */
    amount?: number;
    requests?: (RequestParams & { setupRequest?: (req: RequestParams) => RequestParams; onResponse?: OnResponse })[];
  }
  interface Histogram {
    average: number;
    mean: number;
    p50: number;
    p97_5: number;
    p99: number;
    max: number;
    total: number;
  }
  interface Result {
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
