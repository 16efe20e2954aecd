/**
 * The Jupyter wire format of the convlens kernel: HMAC over the four JSON parts only, binary
 * buffers as the frames after them, and clear errors for frames that are not a valid message.
 */
import { createHmac } from 'crypto';
import { createSigner } from '../../kernel-lib/kernel/hmac';
import { decodeMessage, encodeMessage, newHeader, WireError, type JupyterMessage } from '../../kernel-lib/kernel/wire';

const signer = createSigner('hmac-sha256', 'secret-key');

function message(buffers: Buffer[] = []): JupyterMessage {
  return {
    identities: [Buffer.from('peer')],
    header: newHeader('comm_msg', 'session-1'),
    parent_header: {},
    metadata: { version: '2.1.0' },
    content: { comm_id: 'c', data: { value: 1 } },
    buffers,
  };
}

test('the signature is HMAC-SHA256 of header, parent, metadata and content, computed independently', () => {
  const frames = encodeMessage(message([Buffer.from([1, 2, 3])]), signer);
  expect(frames[1].toString()).toBe('<IDS|MSG>');
  const hmac = createHmac('sha256', 'secret-key');
  for (const part of frames.slice(3, 7)) hmac.update(part);
  expect(frames[2].toString()).toBe(hmac.digest('hex'));
  expect(frames.slice(7)).toEqual([Buffer.from([1, 2, 3])]);
});

test('buffers round-trip byte-exact and are not covered by the HMAC', () => {
  const big = Buffer.alloc(2 * 1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
  const frames = encodeMessage(message([big, Buffer.from('second')]), signer);
  const decoded = decodeMessage(frames, signer);
  expect(decoded.buffers.map((b) => Buffer.compare(b, big))[0]).toBe(0);
  expect(decoded.buffers[1].toString()).toBe('second');
  expect(decoded.identities).toEqual([Buffer.from('peer')]);
  expect(decoded.content).toEqual({ comm_id: 'c', data: { value: 1 } });
  frames[frames.length - 1] = Buffer.from('changed buffer');
  expect(decodeMessage(frames, signer).buffers[1].toString()).toBe('changed buffer');
});

test('a changed JSON part or a wrong key fails the HMAC check', () => {
  const frames = encodeMessage(message(), signer);
  const tampered = [...frames];
  tampered[6] = Buffer.from(JSON.stringify({ comm_id: 'c', data: { value: 2 } }));
  expect(() => decodeMessage(tampered, signer)).toThrow(/signature \(HMAC\) does not match/);
  expect(() => decodeMessage(frames, createSigner('hmac-sha256', 'other-key'))).toThrow(WireError);
});

test('an empty key disables signing, as in jupyter_client', () => {
  const unsigned = createSigner('hmac-sha256', '');
  const frames = encodeMessage(message(), unsigned);
  expect(frames[2].toString()).toBe('');
  expect(decodeMessage(frames, unsigned).header.msg_type).toBe('comm_msg');
});

test.each([
  ['no delimiter', [Buffer.from('a'), Buffer.from('b')], /no <IDS\|MSG> delimiter/],
  ['too few parts', [Buffer.from('<IDS|MSG>'), Buffer.from('sig'), Buffer.from('{}')], /1 of the 4 JSON parts/],
])('%s is a WireError', (_name, frames, error) => {
  expect(() => decodeMessage(frames as Buffer[], signer)).toThrow(error);
});

test('a signed but invalid JSON part or a header without msg_type is a WireError', () => {
  const parts = [Buffer.from('{"msg_id":"1","msg_type":"comm_msg"}'), Buffer.from('{}'), Buffer.from('{}'), Buffer.from('{oops')];
  expect(() => decodeMessage([Buffer.from('<IDS|MSG>'), Buffer.from(signer.sign(parts)), ...parts], signer)).toThrow(
    /content is not valid JSON/,
  );
  parts[0] = Buffer.from('{"msg_id":"1"}');
  parts[3] = Buffer.from('{}');
  expect(() => decodeMessage([Buffer.from('<IDS|MSG>'), Buffer.from(signer.sign(parts)), ...parts], signer)).toThrow(
    /lacks msg_type/,
  );
});
