// Deterministic ids ("resp_0001", "chatcmpl-0001") so logs and tests are
// readable; one counter per prefix, per server instance.
export function createIds() {
  const counters = new Map();
  return {
    next(prefix, sep = '_') {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}${sep}${String(n).padStart(4, '0')}`;
    },
  };
}
