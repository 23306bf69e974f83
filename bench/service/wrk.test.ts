import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWrk, targetScript } from './wrk.ts';

const OUT = `Running 3s test @ http://10.1.1.2:8080/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   832.51us  400.12us  12.00ms   91.00%
    Req/Sec     9.50k   600.00    10.40k    70.00%
  Latency Distribution
     50%  790.00us
     75%    0.95ms
     90%    1.20ms
     99%    2.50ms
  57000 requests in 3.00s, 4.56MB read
  Socket errors: connect 0, read 3, write 0, timeout 1
  Non-2xx or 3xx responses: 2
Requests/sec:  19000.50
Transfer/sec:      1.52MB
`;

describe('parseWrk', () => {
  it('reads throughput, latency percentiles in any unit, and errors', () => {
    assert.deepEqual(parseWrk(OUT), { requestsPerSecond: 19000.5, p50Ms: 0.79, p99Ms: 2.5, maxMs: 12, requests: 57000, errors: 6 });
  });

  it('refuses output it does not understand', () => {
    assert.throws(() => parseWrk('unable to connect to 10.1.1.2:8080 Connection refused'), /unexpected output/);
  });
});

describe('targetScript', () => {
  it('pins thread i to target i mod n', () => {
    const lua = targetScript(['10.1.1.2:8080', '10.1.1.3:8080']);
    assert.match(lua, /local targets = \{ \{ "10\.1\.1\.2", "8080" \}, \{ "10\.1\.1\.3", "8080" \} \}/);
    assert.match(lua, /thread\.addr = wrk\.lookup\(t\[1\], t\[2\]\)\[1\]/);
  });
});
