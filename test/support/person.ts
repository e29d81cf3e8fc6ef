// A person's browser, as the API sees it: it keeps the session cookie Tend sets, and
// sends the session's CSRF token with every change unless told not to.
export interface PersonClient {
  call(method: string, url: string, body?: unknown, opts?: { csrf?: boolean }): Promise<{ status: number; body: any; setCookie: string | null }>;
}

/** `baseUrl` may be a function, for clients made before Tend has started. */
export function personClient(baseUrl: string | (() => string)): PersonClient {
  let cookie = '';
  let csrf = '';
  return {
    async call(method, url, body, opts = {}) {
      const res = await fetch((typeof baseUrl === 'function' ? baseUrl() : baseUrl) + url, {
        method,
        redirect: 'manual',
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(csrf && opts.csrf !== false && method !== 'GET' ? { 'x-csrf-token': csrf } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const set = res.headers.get('set-cookie');
      if (set) cookie = /tend_session=([^;]*)/.exec(set)![1] ? `tend_session=${/tend_session=([^;]*)/.exec(set)![1]}` : '';
      const text = await res.text();
      let parsed: any = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      if (parsed?.csrfToken) csrf = parsed.csrfToken;
      return { status: res.status, body: parsed, setCookie: set };
    },
  };
}
