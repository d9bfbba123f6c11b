/**
 * Simulated time, in milliseconds (Istio reports `*_milliseconds`). Never wall-clock time.
 */
export type SimTime = number;
