import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uri } from '../../../engine/modules/uri.js';
import { pyJsonDumps, urlencode } from '../../../engine/modules/system/pyjson.js';
import { harness, validArgs } from '../modules/context.js';

/** A server shaped like the python one the expectations were recorded against (ansible-core 2.14). */
function startServer(): Promise<Server> {
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      if (req.url === '/redir') { res.writeHead(302, { Location: '/json' }); res.end(); return; }
      if (req.method === 'POST') {
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ got: body, ct: req.headers['content-type'] ?? null }));
        return;
      }
      const isJson = req.url!.startsWith('/json');
      // python's json.dumps spacing, as the recorded server sent it
      const auth = req.headers.authorization === undefined ? 'null' : `"${req.headers.authorization}"`;
      const out = isJson ? `{"a": 1, "auth": ${auth}}` : 'plain';
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'Content-Type': isJson ? 'application/json' : 'text/plain', 'X-Custom-Hdr': 'v', 'Content-Length': String(out.length), 'Set-Cookie': 'sid=42; Path=/' });
      res.end(out);
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

describe('uri runs curl on the host', () => {
  let srv: Server;
  let base: string;
  beforeAll(async () => { srv = await startServer(); base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`; });
  afterAll(() => new Promise<void>((r) => srv.close(() => r())));

  it('GET json: headers lower-cased with underscores, json decoded without return_content', async () => {
    const r = await harness().run(uri, { url: `${base}/json` });
    expect(r).toMatchObject({ changed: false, status: 200, url: `${base}/json`, redirected: false, msg: 'OK (22 bytes)',
      content_type: 'application/json', content_length: '22', x_custom_hdr: 'v', json: { a: 1, auth: null }, cookies: { sid: '42' }, cookies_string: 'sid=42' });
    expect(r.content).toBeUndefined();
    expect(r.failed).toBeUndefined();
  });

  it('follows a redirect for GET, reports the final url, sends basic auth from stdin config', async () => {
    const h = harness();
    const r = await h.run(uri, { url: `${base}/redir`, return_content: true, url_username: 'u', url_password: 'p', force_basic_auth: true });
    expect(r).toMatchObject({ status: 200, redirected: true, url: `${base}/json`, json: { a: 1, auth: `Basic ${Buffer.from('u:p').toString('base64')}` } });
    expect(r.content).toBe(`{"a": 1, "auth": "Basic ${Buffer.from('u:p').toString('base64')}"}`);
    expect(h.conn.commands.join('\n')).not.toContain('u:p');
  });

  it('an unexpected status fails with ansible\'s message', async () => {
    const r = await harness().run(uri, { url: `${base}/missing` });
    expect(r).toMatchObject({ failed: true, status: 404, msg: 'Status code was 404 and not [200]: HTTP Error 404: Not Found' });
  });

  it.each([
    ['json dict', { body_format: 'json', body: { k: 1, s: 'é' } }, '{"k": 1, "s": "\\u00e9"}', 'application/json'],
    ['json string as-is', { body_format: 'json', body: '{"k":1}' }, '{"k":1}', 'application/json'],
    ['form dict', { body_format: 'form-urlencoded', body: { k: 'a b', z: 2 } }, 'k=a+b&z=2', 'application/x-www-form-urlencoded'],
    ['raw text starting with @', { body: '@not-a-file' }, '@not-a-file', 'application/x-www-form-urlencoded'],
  ])('POST %s', async (_n, extra, got, ct) => {
    const r = await harness().run(uri, { url: `${base}/x`, method: 'POST', status_code: [200, 201], ...extra });
    expect(r).toMatchObject({ status: 201, json: { got, ct }, msg: 'OK (unknown bytes)' });
  });

  it('a refused connection is status -1', async () => {
    const r = await harness().run(uri, { url: 'http://127.0.0.1:1/x', timeout: 2 });
    expect(r).toMatchObject({ failed: true, status: -1 });
    expect(String(r.msg)).toMatch(/^Status code was -1 and not \[200\]: Request failed: .*(refused|connect)/i);
  });

  it('creates= skips the request when the path exists', async () => {
    const r = await harness().run(uri, { url: `${base}/json`, creates: '/' });
    expect(r).toMatchObject({ changed: false, skipped: true });
  });

  it('python json.dumps and urlencode shapes', () => {
    expect(pyJsonDumps({ a: [1, true, null], b: { c: 'x' } })).toBe('{"a": [1, true, null], "b": {"c": "x"}}');
    expect(urlencode({ 'a&b': "x'y" })).toBe('a%26b=x%27y');
  });

  it('rejects a bad body_format', () => expect(validArgs(uri, { url: 'x', body_format: 'xml' })).toBe(false));
});
