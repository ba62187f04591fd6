import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CORPUS } from '../testing/corpus.ts';
import { MAX_HTML_CHARS, parseEmail } from './parse-mail.ts';
import { classifyEmail } from './classify.ts';
import { renderBody } from './render.ts';

const read = (p: string) => fs.readFileSync(path.join(CORPUS, p));
const render = async (p: string | Buffer) => {
  const mail = await parseEmail(typeof p === 'string' ? read(p) : p);
  const cids = new Map(mail.attachments.filter((a) => a.contentId).map((a) => [a.contentId!.toLowerCase(), `/api/v1/attachments/${a.contentId}`]));
  return { mail, body: renderBody(mail, cids) };
};

describe('mailparser corpus (nodemailer/mailparser EXPECTED.json)', () => {
  const exp = JSON.parse(read('mailparser/EXPECTED.json').toString()) as Record<string, any>;

  it('reads nested multiparts, mixed siblings and a base64 root', async () => {
    expect((await parseEmail(read('mailparser/nested.eml'))).text).toBe(exp['nested.eml'].text);
    expect((await parseEmail(read('mailparser/mixed.eml'))).text).toBe(exp['mixed.eml'].text);
    const b = await parseEmail(read('mailparser/base64encodedroot.eml'));
    expect(b.attachments).toHaveLength(1);
    expect(createHash('sha256').update(b.attachments[0]!.content).digest('hex')).toBe(exp['base64encodedroot.eml'].attachment0_sha256);
  });

  it('keeps unicode subjects, plus-addressed recipients and attachments', async () => {
    const m = await parseEmail(read('mailparser/nodemailer.eml'));
    expect(m.subject).toBe(exp['nodemailer.eml'].subject);
    expect(m.to.map((a) => a.address)).toEqual(exp['nodemailer.eml'].to.map((a: { address: string }) => a.address.toLowerCase()));
    expect(m.attachments).toHaveLength(exp['nodemailer.eml'].attachments);
    expect(createHash('md5').update(m.attachments[2]!.content).digest('hex')).toBe(exp['nodemailer.eml'].attachment2_md5);
    // The inline image is referenced from the HTML: it becomes our attachment URL, never a cid: link.
    const { body } = await render('mailparser/nodemailer.eml');
    expect(body.html).not.toContain('cid:');
    expect(m.attachments.some((a) => a.isInline)).toBe(true);
  });

  it('reads a 1.1 MB text body and a forwarded message/rfc822', async () => {
    const big = await parseEmail(read('mailparser/large_text.eml'));
    expect(big.text.split('\n')[0]).toBe(exp['large_text.eml'].text_first_line);
    expect(big.html).toBeNull();
    const fwd = await parseEmail(read('mailparser/decoderended.eml'));
    expect(fwd.text).toContain('Note: forwarded message attached.');
    expect(fwd.attachments.some((a) => a.contentType === 'message/rfc822')).toBe(true);
    expect(fwd.bounce).toBeNull();
  });

  it('survives deeply nested and oversized HTML, capping what it keeps', async () => {
    const deep = await render('mailparser/htmllargecallstack.eml'); // 570 KB of nesting, all inside <title>
    expect(deep.mail.html!.length).toBeGreaterThan(500_000);
    expect(typeof deep.body.text).toBe('string');
    const oom = await render('mailparser/outofmemory.eml');
    expect(oom.body.text.length).toBeGreaterThan(0);
    const huge = Buffer.from(`From: a@b.test\r\nTo: s@acme.test\r\nSubject: huge\r\nContent-Type: text/html\r\n\r\n<p>${'<b>x</b>'.repeat(MAX_HTML_CHARS / 8 + 10)}</p>`);
    const h = await render(huge);
    expect(h.mail.html).toBeNull();
    expect(h.mail.warnings.join()).toMatch(/html_too_large/);
    expect(h.body.text).toMatch(/^x x x/);
  });

  it('recognises a DSN bounce with its status and the original Message-ID', async () => {
    const m = await parseEmail(read('mailparser/delivery-status.eml'));
    expect(m.text).toContain(exp['delivery-status.eml'].text_contains);
    expect(m.bounce).toMatchObject({ status: '5.1.1', recipients: ['xxxx@xxxx.com'], originalMessageId: 'xxxxx@email.amazonses.com', action: 'failed' });
    expect(classifyEmail(m)?.kind).toBe('bounce');
  });

  it('sanitises spam HTML (no scripts, handlers or javascript: links)', async () => {
    const { body } = await render('mailparser/spam.eml');
    expect(body.html).toBeTruthy();
    const hostile = await render(Buffer.from('From: a@b.test\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(1)">l</a><img src="x" onerror="y()"><iframe src="//evil"></iframe></p>'));
    expect(hostile.body.html).not.toMatch(/script|onclick|onerror|javascript:|iframe/i);
  });
});

describe('chatwoot corpus (parsing)', () => {
  const exp = JSON.parse(read('chatwoot/EXPECTED.json').toString()) as Record<string, any>;

  it('transcodes Arabic and encoded-word headers', async () => {
    const { mail, body } = await render('chatwoot/non_utf_encoded_mail.eml');
    expect(mail.subject).toBe(exp['non_utf_encoded_mail.eml'].subject.trim());
    expect(body.text.startsWith(exp['non_utf_encoded_mail.eml'].reply_text_prefix)).toBe(true);
  });

  it('keeps the full original one field away from the trimmed reply', async () => {
    const { body } = await render('chatwoot/mail_with_quote.eml');
    expect(body.text).toBe('Yes, I am providing you step how to reproduce this issue');
    expect(body.isTrimmed).toBe(true);
    // Chatwoot joins the wrapped "<\ntejaswini@…> wrote:" line; compare with whitespace folded.
    expect(body.full!.text.replace(/\s+/g, ' ')).toBe(exp['mail_with_quote.eml'].content_exact.replace(/\s+/g, ' '));
  });

  it('threads headers: In-Reply-To (first of several) and References', async () => {
    expect((await parseEmail(read('chatwoot/multiple_in_reply_to.eml'))).inReplyTo[0]).toBe(exp['multiple_in_reply_to.eml'].in_reply_to_first);
    expect((await parseEmail(read('chatwoot/references.eml'))).references).toEqual(exp['references.eml'].references);
    expect((await parseEmail(read('chatwoot/welcome.eml'))).inReplyTo).toEqual([exp['welcome.eml'].in_reply_to]);
    expect((await parseEmail(read('chatwoot/welcome.eml'))).date).toBe(new Date(exp['welcome.eml'].date).toISOString());
  });

  it('inlines cid images into the HTML and drops their text placeholders', async () => {
    const { mail, body } = await render('chatwoot/mail_with_inline_images.eml');
    for (const cid of exp['mail_with_inline_images.eml'].html_must_not_include) expect(body.html).not.toContain(cid);
    expect(mail.attachments.every((a) => a.isInline)).toBe(true);
    expect(body.text).toContain(exp['mail_with_inline_images.eml'].content_includes);
  });

  it('names attachments that have no filename and keeps inline PDFs as attachments', async () => {
    const m = await parseEmail(read('chatwoot/attachments_without_filename.eml'));
    expect(m.attachments).toHaveLength(2);
    expect(m.attachments.every((a) => a.filename.length > 0)).toBe(true);
    const pdf = await parseEmail(read('chatwoot/email_with_inline_pdf.eml'));
    expect(pdf.attachments.map((a) => a.filename)).toEqual([exp['email_with_inline_pdf.eml'].attachment_filename]);
    expect((await parseEmail(read('chatwoot/only_attachments.eml'))).attachments).toHaveLength(1);
  });

  it('classifies auto-replies and bounces, and leaves ordinary mail alone', async () => {
    for (const f of ['auto_reply.eml', 'auto_reply_with_auto_submitted.eml', 'bounced_gmail.eml']) {
      expect(classifyEmail(await parseEmail(read(`chatwoot/${f}`))), f).not.toBeNull();
    }
    expect(classifyEmail(await parseEmail(read('chatwoot/bounced_gmail.eml')))?.kind).toBe('bounce');
    for (const f of ['support.eml', 'welcome.eml', 'reply_to.eml', 'only_text.eml']) expect(classifyEmail(await parseEmail(read(`chatwoot/${f}`))), f).toBeNull();
  });

  it('never throws on malformed headers', async () => {
    for (const f of ['mail_with_invalid_to.eml', 'mail_with_invalid_to_2.eml', 'bounced_with_no_from.eml', 'mail_with_no_date.eml']) {
      const m = await parseEmail(read(`chatwoot/${f}`));
      expect(m.text.length + m.attachments.length, f).toBeGreaterThan(0);
    }
  });
});

describe('stalwart RFC conformance corpus', () => {
  const dir = path.join(CORPUS, 'stalwart_mail_parser/rfc');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.eml'))) {
    it(`reads ${f} like the reference parser (subject, sender)`, async () => {
      const expected = JSON.parse(fs.readFileSync(path.join(dir, f.replace('.eml', '.json')), 'utf8'));
      const m = await parseEmail(fs.readFileSync(path.join(dir, f)));
      const subject = findHeader(expected, 'Subject');
      if (typeof subject === 'string') expect(m.subject).toBe(subject.replace(/\s+/g, ' ').trim());
      const from = findAddress(expected, 'From');
      if (from) expect(m.from?.address).toBe(from.toLowerCase());
      // mailparser shows the parts of a multipart/digest as text rather than as attachments (004).
      if (f !== '004.eml') expect(m.attachments.length).toBe(expected.attachments?.length ?? 0);
    });
  }
});

describe('zammad corpus (charsets, broken headers, uuencode, ISO-2022-JP)', () => {
  const dir = path.join(CORPUS, 'zammad');
  const boxes = fs.readdirSync(dir).filter((f) => f.endsWith('.box'));
  it('parses all 106 messages without throwing, each within the time budget of a queue', async () => {
    for (const f of boxes) {
      const started = performance.now();
      const { body } = await render(fs.readFileSync(path.join(dir, f)));
      expect(typeof body.text).toBe('string');
      expect(performance.now() - started, f).toBeLessThan(5000);
    }
  });
  for (const f of boxes) {
    const yml = path.join(dir, f.replace(/\.box$/, '.yml'));
    if (!fs.existsSync(yml)) continue;
    const y = fs.readFileSync(yml, 'utf8');
    const fromEmail = /^from_email: (.+)$/m.exec(y)?.[1]?.replace(/^'|'$/g, '').trim();
    const subject = /^subject: (?!\||>)(.+)$/m.exec(y)?.[1];
    it(`${f}: sender and subject as Zammad reads them`, async () => {
      const m = await parseEmail(fs.readFileSync(path.join(dir, f)));
      // Without a usable From, Zammad (and we, for the customer) fall back to Reply-To.
      if (fromEmail && /^[^\s@]+@[^\s@]+$/.test(fromEmail)) expect([m.from?.address, m.replyTo?.address]).toContain(fromEmail.toLowerCase());
      if (subject && !subject.startsWith('"') && !subject.includes("''")) expect(m.subject).toBe(subject.replace(/^'|'$/g, '').replace(/\s+/g, ' ').trim());
    });
  }
  it('decodes an ISO-2022-JP body and subject (mail091)', async () => {
    const m = await parseEmail(fs.readFileSync(path.join(dir, 'mail091.box')));
    expect(m.subject).toBe('メルマガ解除');
    expect(m.text).toContain('このアドレスへのメルマガを解除してください。');
  });
});

const headersOf = (tree: any): any[] => tree?.parts?.[0]?.headers ?? [];
const findHeader = (tree: any, name: string): unknown => {
  const v = headersOf(tree).find((x: any) => x?.name === name.toLowerCase())?.value;
  return v?.Text;
};
const findAddress = (tree: any, name: string): string | undefined => {
  const v = headersOf(tree).find((x: any) => x?.name === name.toLowerCase())?.value;
  return v?.Address?.List?.[0]?.address;
};
