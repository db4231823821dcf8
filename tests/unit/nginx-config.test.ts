/** deploy/nginx-config.ts: the template's parameters, refused input, and `nginx -t` on the result. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderNginxConfig } from '../../deploy/nginx-config.ts';
import { NGINX, nginxInstalled } from '../../deploy/processes.ts';

const options = { listen: '127.0.0.1:7400', apis: ['127.0.0.1:7401', '127.0.0.1:7402'], cacheDir: 'cache' };

describe('the nginx configuration from deploy/nginx.conf.template', () => {
  it('puts in every parameter: one upstream server per API process with its passive health check', () => {
    const conf = renderNginxConfig({ ...options, failTimeoutS: 3 });
    expect(conf).not.toMatch(/\{\{/);
    expect(conf.match(/^\s*server 127\.0\.0\.1:\d+ .*$/gm)).toEqual([
      '    server 127.0.0.1:7401 max_fails=1 fail_timeout=3s;',
      '    server 127.0.0.1:7402 max_fails=1 fail_timeout=3s;',
    ]);
    expect(conf).toContain('listen 127.0.0.1:7400;');
    expect(conf).toContain('map $cookie_wangge_session $wangge_signed_in');
    expect(conf).toMatch(/proxy_next_upstream error timeout http_502 http_503;/);
  });

  it('refuses what would make a broken or unsafe file', () => {
    expect(() => renderNginxConfig({ ...options, apis: [] })).toThrow(/at least one API/);
    expect(() => renderNginxConfig({ ...options, apis: ['127.0.0.1:7401; evil'] })).toThrow(/host:port/);
    expect(() => renderNginxConfig({ ...options, listen: '80; x' })).toThrow(/listen/);
    expect(() => renderNginxConfig(options, 'listen {{NOPE}};')).toThrow(/unknown parameter/);
  });

  it.skipIf(!nginxInstalled())('passes nginx -t (Debian nginx; skipped without /usr/sbin/nginx)', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'wangge-nginx-t-'));
    try {
      for (const dir of ['logs', 'tmp', 'cache']) mkdirSync(join(prefix, dir));
      writeFileSync(join(prefix, 'nginx.conf'), renderNginxConfig({ ...options, cacheDir: join(prefix, 'cache') }));
      const out = execFileSync(NGINX, ['-t', '-c', join(prefix, 'nginx.conf'), '-p', `${prefix}/`, '-e', 'stderr'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(out).toBe('');
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });
});
