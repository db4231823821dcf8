/**
 * The one HTTP client every API, browser, fault and load test uses: JSON in and out, a named
 * session per demo user, status + typed body + headers back. Tests that need the raw bytes
 * (tiles, workbooks) call `fetch` for the Response itself.
 */
import { DEMO_PASSWORD } from './templates.ts';

/** The JSON error body every failing route answers with (server/http/errors.ts). */
export interface ErrorBody {
  code: string;
  message: string;
  param?: string;
  current?: Record<string, string>;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  etag: string | null;
  /** The raw body text ('' when empty). */
  text: string;
  /** The body parsed as JSON (undefined when empty or not JSON). */
  body: T & { error?: ErrorBody };
}

export interface RequestOptions {
  /** Send the session cookie of this user (logged in with `login`). */
  as?: string;
  /** A literal cookie header, for tests that handle cookies themselves. */
  cookie?: string;
  /** Sent as JSON; content-type is application/json for every write unless `contentType` or `raw` says otherwise. */
  body?: unknown;
  /** Sent as is, with no content-type unless `contentType` (fetch sets multipart's own). */
  raw?: BodyInit;
  contentType?: string;
  ifMatch?: string;
  accept?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface UploadFile {
  name: string;
  body: string | Uint8Array;
}

// Methods are arrow properties so a test may take one out: `const call = http.request`.
export class HttpClient {
  /** Session cookies ("wangge_session=…") by user name. */
  readonly cookies: Record<string, string>;
  private readonly base: () => string;

  /** `base` may be a function so a client can be made before the server starts (in describe). */
  constructor(base: string | (() => string), cookies: Record<string, string> = {}) {
    this.base = typeof base === 'string' ? () => base : base;
    this.cookies = cookies;
  }

  url = (path: string): string => (path.startsWith('http') ? path : this.base() + path);

  /**
   * Log a user in over real HTTP and remember the cookie under its name (or `as`). A 503 (the
   * database busy: a just-started process's first connects can pass the pool's 500 ms connect
   * timeout under CI's load) is retried after a second, up to 5 tries, as a client would.
   */
  async login(username: string, password = DEMO_PASSWORD, as = username): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const res = await this.post('/api/auth/login', { body: { username, password } });
      if (res.status === 503 && attempt < 5) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        continue;
      }
      if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return (this.cookies[as] = res.headers.get('set-cookie')!.split(';')[0]!);
    }
  }

  async loginAll(usernames: readonly string[]): Promise<void> {
    for (const username of usernames) await this.login(username);
  }

  /** The fetch Response itself, with the same options (for binary bodies and streaming). */
  fetch = (method: string, path: string, options: RequestOptions = {}): Promise<Response> => {
    const headers: Record<string, string> = {};
    // A JSON API: writes say JSON even without a body (an empty JSON body parses to {}).
    const json = options.raw === undefined && (options.body !== undefined || (method !== 'GET' && method !== 'HEAD'));
    const contentType = options.contentType ?? (json ? 'application/json' : undefined);
    if (contentType) headers['content-type'] = contentType;
    const cookie = options.cookie ?? (options.as ? this.cookies[options.as] : undefined);
    if (options.as && cookie === undefined) throw new Error(`no session for ${options.as}: call login first`);
    if (cookie) headers.cookie = cookie;
    if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
    if (options.accept) headers.accept = options.accept;
    Object.assign(headers, options.headers);
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    return fetch(this.url(path), { method, headers, body, signal: options.signal });
  };

  request = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> => {
    const res = await this.fetch(method, path, options);
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined; // HTML, CSV, XML: read `text`
    }
    return {
      status: res.status,
      headers: res.headers,
      etag: res.headers.get('etag'),
      text,
      body: body as HttpResponse<T>['body'],
    };
  };

  /** A multipart upload (to /api/import unless `path`): the file under "file", then the form fields. */
  upload = <T = Record<string, unknown>>(
    fields: Record<string, string>,
    file: UploadFile | null,
    options: RequestOptions & { path?: string } = {},
  ) => {
    const form = new FormData();
    if (file) form.append('file', new Blob([file.body as BlobPart]), file.name);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return this.request<T>('POST', options.path ?? '/api/import', { ...options, raw: form });
  };

  get = <T = Record<string, unknown>>(path: string, options?: RequestOptions) => this.request<T>('GET', path, options);
  post = <T = Record<string, unknown>>(path: string, options?: RequestOptions) =>
    this.request<T>('POST', path, options);
  put = <T = Record<string, unknown>>(path: string, options?: RequestOptions) => this.request<T>('PUT', path, options);
  patch = <T = Record<string, unknown>>(path: string, options?: RequestOptions) =>
    this.request<T>('PATCH', path, options);
  delete = <T = Record<string, unknown>>(path: string, options?: RequestOptions) =>
    this.request<T>('DELETE', path, options);
}

/** A client for a server that may start later: `httpClient(() => server.url)`. */
export const httpClient = (base: string | (() => string), cookies?: Record<string, string>) =>
  new HttpClient(base, cookies);
