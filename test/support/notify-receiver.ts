import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it, with what it checked. */
export interface Received {
  kind: 'dingtalk' | 'wecom' | 'webhook';
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  json: any;
  /** DingTalk: the 加签 matched; webhook: the Standard Webhooks signature matched. */
  signatureOk: boolean | null;
  reply: { status: number; body: string };
}

type Override = (r: Received) => { status: number; body: string } | 'hold' | null;

/**
 * A stand-in for the DingTalk and WeCom robot APIs and a webhook receiver, on 127.0.0.1 and a
 * random port, checking what real receivers check, with node:crypto (not the code under test):
 * DingTalk's `timestamp` + `sign` for the robot's secret (errcode 310000 otherwise), WeCom's key
 * and markdown of at most 4,096 bytes (errcode 40058 otherwise), a webhook's
 * `webhook-signature` over "id.timestamp.body". `override` scripts failures, slowness, holds.
 */
export class NotifyReceiver {
  readonly received: Received[] = [];
  /** DingTalk access_token → 加签 secret (null: keyword mode, no signature expected). */
  readonly dingtalkRobots = new Map<string, string | null>();
  readonly wecomKeys = new Set<string>();
  /** Webhook path → whsec_ secret. */
  readonly webhookSecrets = new Map<string, string>();
  override: Override | null = null;
  private server: Server | undefined;
  private held: (() => void)[] = [];

  get base(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const body = Buffer.concat(chunks).toString('utf8');
        const r = this.check(url, req.headers, body);
        const o = this.override?.(r) ?? null;
        const send = () => {
          res.writeHead(r.reply.status, { 'content-type': 'application/json' });
          res.end(r.reply.body);
        };
        if (o === 'hold') {
          this.held.push(send);
        } else {
          if (o) r.reply = o;
          send();
        }
        this.received.push(r);
      });
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    return this;
  }

  /** Answers every held request. */
  release(): void {
    for (const f of this.held.splice(0)) f();
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((ok) => this.server?.close(() => ok()));
  }

  private check(url: URL, headers: IncomingMessage['headers'], body: string): Received {
    let json: any = null;
    try {
      json = JSON.parse(body);
    } catch {
      json = null;
    }
    const base = { path: url.pathname, query: url.searchParams, headers, body, json };
    const ok = { status: 200, body: '{"errcode":0,"errmsg":"ok"}' };
    if (url.pathname === '/robot/send') {
      const token = url.searchParams.get('access_token') ?? '';
      const secret = this.dingtalkRobots.get(token);
      if (secret === undefined)
        return {
          ...base,
          kind: 'dingtalk',
          signatureOk: null,
          reply: { status: 200, body: '{"errcode":300001,"errmsg":"token is not exist"}' },
        };
      let signatureOk: boolean | null = null;
      if (secret !== null) {
        const ts = url.searchParams.get('timestamp') ?? '';
        const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
        signatureOk = url.searchParams.get('sign') === expected;
      }
      const mdOk = json?.msgtype === 'markdown' && typeof json.markdown?.text === 'string';
      const reply =
        signatureOk === false
          ? { status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }
          : !mdOk
            ? { status: 200, body: '{"errcode":40035,"errmsg":"bad markdown"}' }
            : Buffer.byteLength(body) > 20_000
              ? { status: 200, body: '{"errcode":460101,"errmsg":"message too long"}' }
              : ok;
      return { ...base, kind: 'dingtalk', signatureOk, reply };
    }
    if (url.pathname === '/cgi-bin/webhook/send') {
      const key = url.searchParams.get('key') ?? '';
      const content = json?.markdown?.content;
      const reply = !this.wecomKeys.has(key)
        ? { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' }
        : json?.msgtype !== 'markdown' || typeof content !== 'string'
          ? { status: 200, body: '{"errcode":40008,"errmsg":"invalid message type"}' }
          : Buffer.byteLength(content) > 4096
            ? {
                status: 200,
                body: '{"errcode":40058,"errmsg":"markdown.content exceed max length 4096"}',
              }
            : ok;
      return { ...base, kind: 'wecom', signatureOk: null, reply };
    }
    const secret = this.webhookSecrets.get(url.pathname);
    const id = String(headers['webhook-id'] ?? '');
    const ts = String(headers['webhook-timestamp'] ?? '');
    let signatureOk: boolean | null = null;
    if (secret) {
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
      const sig = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
      signatureOk = String(headers['webhook-signature'] ?? '')
        .split(' ')
        .includes(`v1,${sig}`);
    }
    return {
      ...base,
      kind: 'webhook',
      signatureOk,
      reply:
        signatureOk === false ? { status: 401, body: 'bad signature' } : { status: 204, body: '' },
    };
  }
}
