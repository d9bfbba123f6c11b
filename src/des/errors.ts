/**
 * Errors for programmer misuse of the kernel. Simulated failures are never exceptions (they are outcomes
 * of the model); these mean the code calling the kernel is wrong, so the message names the bad value.
 */
export class SimulationError extends Error {
  override name = 'SimulationError';
}
