import { prepareInPool } from '../parse/parse-pool.ts';

// Run as its own process by the pool test: parses one message, prints its text, and must then exit by
// itself (a worker is referenced only while it has work).
const r = await prepareInPool(Buffer.from('Subject: hi\r\nFrom: a@example.com\r\n\r\nhello from the pool\r\n'));
console.log(r.body.text);
