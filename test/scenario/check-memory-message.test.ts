import { describe, expect, it } from 'vitest';
import { memoryLimitExceeded } from '../../src/scenario/check-memory.js';
import { HEAP_BYTES_PER_POD, HEAP_BYTES_PER_PROXY_SERVICE } from '../../src/scenario/work-estimate.js';

describe('the memory guard message', () => {
  // The message once hard-coded its terms and kept 3.2 KB per pod and 200 B per proxy-service pair after
  // the estimate's constants had become 1,200 B and 1,100 B: it must say what the estimate computes.
  it("names the estimate's own per-pod and per-pair sizes", () => {
    const message = memoryLimitExceeded(2 ** 40, {
      workers: 1,
      jobs: 1,
      heapLimitBytes: 2 ** 30,
      totalMemoryBytes: 2 ** 41,
    });
    expect(message).toBeDefined();
    expect(message).toContain(`${(HEAP_BYTES_PER_POD / 1000).toFixed(1)} KB per pod`);
    expect(message).toContain(
      `${(HEAP_BYTES_PER_PROXY_SERVICE / 1000).toFixed(1)} KB per proxy-service pair`,
    );
    expect(message).toContain('140 B per shared upstream view host');
  });
});
