import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One request a loopback HTTP receiver got. */
export interface ReceivedPost {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A real HTTP server on loopback that records every request and answers as `answer` says (default 200 `{"ok":true}`). */
export async function startHttpReceiver(answer: (req: ReceivedPost, index: number) => { status: number; body?: string } = () => ({ status: 200, body: '{"ok":true}' })): Promise<{ url: string; posts: ReceivedPost[]; close: () => Promise<void> }> {
  const posts: ReceivedPost[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const post: ReceivedPost = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const index = posts.length;
      posts.push(post);
      const a = answer(post, index);
      res.writeHead(a.status, { 'Content-Type': 'application/json' });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, posts, close: () => new Promise((r) => server.close(() => r())) };
}

/** One message a loopback SMTP receiver accepted. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly user?: string;
  readonly raw: string;
}

/** A real SMTP server (smtp-server) on loopback, plain text, with one user; recipients matching `refuse` are rejected. */
export async function startSmtpReceiver(opts: { readonly user: string; readonly password: string; readonly refuse?: RegExp }): Promise<{ port: number; mails: ReceivedMail[]; close: () => Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.password) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, cb) {
      if (opts.refuse?.test(address.address)) cb(Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), ...(typeof session.user === 'string' ? { user: session.user } : {}), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise((r) => server.close(() => r())) };
}
