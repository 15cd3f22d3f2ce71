// multipart/form-data (RFC 7578) as the upload APIs read it: the boundary from the Content-Type,
// parts with a Content-Disposition name (and a filename and Content-Type for files). Returns
// null for a body that is not well formed, as the real APIs refuse it.

/** `{ fields: {name: value | [values]}, files: [{ name, filename, type, bytes }] }` or null. */
export function parseMultipart(contentType, raw) {
  const boundary = /^multipart\/form-data;\s*boundary="?([^";]+)"?/i.exec(String(contentType ?? ''))?.[1];
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  const fields = {};
  const files = [];
  let at = raw.indexOf(delimiter);
  if (at !== 0) return null;
  for (;;) {
    at += delimiter.length;
    if (raw.subarray(at, at + 2).toString() === '--') return { fields, files };
    if (raw.subarray(at, at + 2).toString() !== '\r\n') return null;
    const headEnd = raw.indexOf('\r\n\r\n', at + 2);
    const next = raw.indexOf(Buffer.from(`\r\n--${boundary}`), headEnd);
    if (headEnd < 0 || next < 0) return null;
    const head = raw.subarray(at + 2, headEnd).toString('utf8');
    const bytes = raw.subarray(headEnd + 4, next);
    const disposition = /^content-disposition:\s*form-data;(.*)$/im.exec(head)?.[1] ?? '';
    const name = /\bname="([^"]*)"/.exec(disposition)?.[1];
    if (name === undefined) return null;
    const filename = /\bfilename="([^"]*)"/.exec(disposition)?.[1];
    if (filename !== undefined) {
      files.push({ name, filename, type: /^content-type:\s*(\S+)/im.exec(head)?.[1] ?? 'application/octet-stream', bytes });
    } else {
      const value = bytes.toString('utf8');
      fields[name] = name in fields ? [].concat(fields[name], value) : value;
    }
    at = next + 2;
  }
}
