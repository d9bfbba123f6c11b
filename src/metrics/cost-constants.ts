/**
 * The constants of the cost model, each with its source and default. Every one can be overridden: by a
 * scenario's `cost:` block, and over that by `RunOptions.cost`. The defaults are published figures and list
 * prices, not anyone's bill. scenario/schema-cost.ts repeats each default and source for the scenario
 * format's documentation (scenario/ may not import this module); a test keeps the two in step.
 */

/** Every constant of the cost model; a scenario's `cost:` block overrides any of them by name. */
export interface CostConstants {
  /**
   * istiod's published operating point: 1 vCPU and 1.5 GB for 1000 services and 2000 sidecars (Istio
   * "Performance and scalability" page, every version since 1.1:
   * https://istio.io/latest/docs/ops/deployment/performance-and-scalability/).
   */
  readonly istiodVcpuAtReference: number;
  readonly istiodMemoryGbAtReference: number;
  readonly istiodReferenceServices: number;
  readonly istiodReferenceProxies: number;
  /**
   * The least an istiod is given: its default request, 500m CPU and 2048 Mi memory
   * (manifests/charts/istio-control/istio-discovery/values.yaml).
   */
  readonly istiodMinVcpu: number;
  readonly istiodMinMemoryGb: number;
  /** Sidecar CPU per 1000 requests per second through it: 0.20 vCPU (Istio 1.24, same perf page). */
  readonly sidecarVcpuPer1000Rps: number;
  /** Sidecar memory: 60 MB (Istio 1.24, same perf page; it depends on config held, not on load). */
  readonly sidecarMemoryMb: number;
  /** Bytes of a request and of a response: 1 KB each, the payload of Istio's load tests (same page). */
  readonly requestBytes: number;
  readonly responseBytes: number;
  /**
   * Price per GB crossing availability zones, charged on each side: AWS EC2 list price "$0.01/GB in each
   * direction" for data between AZs of a region (https://aws.amazon.com/ec2/pricing/on-demand/, Data
   * Transfer), so a GB from one zone to another costs twice this.
   */
  readonly crossZonePricePerGbEachSide: number;
  /**
   * Price per GB crossing regions, charged once (by the sender): AWS EC2 list price for data out to
   * another region from US regions, $0.02/GB (same page); other regions charge up to several times more.
   */
  readonly crossRegionPricePerGb: number;
}

/** 2 GiB in GB: istiod's default memory request. */
const GIB_IN_GB = 2 ** 30 / 1e9;

/** The published figures and list prices documented on `CostConstants`. */
export const DEFAULT_COST_CONSTANTS: CostConstants = {
  istiodVcpuAtReference: 1,
  istiodMemoryGbAtReference: 1.5,
  istiodReferenceServices: 1000,
  istiodReferenceProxies: 2000,
  istiodMinVcpu: 0.5,
  istiodMinMemoryGb: 2 * GIB_IN_GB,
  sidecarVcpuPer1000Rps: 0.2,
  sidecarMemoryMb: 60,
  requestBytes: 1024,
  responseBytes: 1024,
  crossZonePricePerGbEachSide: 0.01,
  crossRegionPricePerGb: 0.02,
};

/** The defaults with `overrides` applied. */
export function costConstants(overrides: Partial<CostConstants> = {}): CostConstants {
  return { ...DEFAULT_COST_CONSTANTS, ...overrides };
}
