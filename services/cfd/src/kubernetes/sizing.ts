/**
 * How big a case Job's pod is, from the mesh estimate and the MPI ranks. Pure.
 *
 * The rule (per Job, requests = limits, so the pod is Guaranteed QoS and a rank never shares
 * its core):
 * - CPU: one core per MPI rank (decomposePar `simple` splits the mesh into `ranks` pieces).
 * - Memory: {@link BASE_MEMORY_MIB} for the job driver (Node, S3 transfers) and the serial
 *   utilities, plus {@link MEMORY_MIB_PER_RANK} per rank (OpenFOAM libraries and MPI buffers
 *   loaded once per process), plus {@link MEMORY_MIB_PER_MILLION_CELLS} per million cells
 *   (snappyHexMesh's peak, about twice what simpleFoam needs), rounded up to 256 MiB.
 * - Scratch disk (emptyDir): {@link BASE_SCRATCH_GIB} plus {@link SCRATCH_GIB_PER_MILLION_CELLS}
 *   per million cells: the ASCII mesh (~0.3 KB/cell), a few written times of seven fields
 *   (~0.1 KB/cell each), snappyHexMesh's intermediate meshes, and the decomposed copy.
 * - /dev/shm (memory-backed emptyDir, counted in the memory limit): OpenMPI's shared-memory
 *   transport between ranks; 64 MiB per rank, at least 256 MiB, only when ranks > 1.
 */

export const BASE_MEMORY_MIB = 768;
export const MEMORY_MIB_PER_RANK = 256;
export const MEMORY_MIB_PER_MILLION_CELLS = 2048;
export const BASE_SCRATCH_GIB = 2;
export const SCRATCH_GIB_PER_MILLION_CELLS = 4;
/** Cells one rank handles well with simpleFoam (OpenFOAM scales down to ~50–100 k cells per core). */
export const CELLS_PER_RANK = 150_000;

/** What one node of the CFD pool can give one Job. */
export interface PoolCapacity {
  cpu: number;
  memoryMiB: number;
  ephemeralStorageGiB: number;
}

/**
 * The CFD pool's default instance types (c6i/c6a/c7i.8xlarge) have 32 vCPUs and 64 GiB; the
 * kubelet's reservations, the eviction threshold and the DaemonSets keep about 2 cores and
 * 8 GiB. Its nodes have 100 GiB disks, shared with images and logs.
 */
export const DEFAULT_POOL_CAPACITY: PoolCapacity = { cpu: 30, memoryMiB: 56 * 1024, ephemeralStorageGiB: 80 };

export interface CaseJobResources {
  ranks: number;
  cpu: number;
  memoryMiB: number;
  scratchGiB: number;
  /** 0 when serial (no shared-memory volume). */
  shmMiB: number;
  /** The pod's ephemeral storage: scratch plus 1 GiB for /tmp and logs. */
  ephemeralStorageGiB: number;
}

/** MPI ranks for a mesh of `estimatedCells`: one per {@link CELLS_PER_RANK}, within what a node has. */
export function mpiRanksFor(estimatedCells: number, capacity: PoolCapacity = DEFAULT_POOL_CAPACITY): number {
  return Math.min(Math.max(1, Math.ceil(estimatedCells / CELLS_PER_RANK)), Math.floor(capacity.cpu));
}

/** The pod's size; throws a {@link CaseTooLargeError} naming what does not fit on a node. */
export function caseJobResources(estimatedCells: number, ranks: number, capacity: PoolCapacity = DEFAULT_POOL_CAPACITY): CaseJobResources {
  if (!Number.isInteger(ranks) || ranks < 1) throw new RangeError(`ranks must be a positive integer (got ${ranks})`);
  if (!Number.isFinite(estimatedCells) || estimatedCells < 0) throw new RangeError(`estimatedCells must be a non-negative number (got ${estimatedCells})`);
  const millions = estimatedCells / 1_000_000;
  const memoryMiB = roundUp(BASE_MEMORY_MIB + MEMORY_MIB_PER_RANK * ranks + MEMORY_MIB_PER_MILLION_CELLS * millions, 256);
  const scratchGiB = Math.ceil(BASE_SCRATCH_GIB + SCRATCH_GIB_PER_MILLION_CELLS * millions);
  const resources: CaseJobResources = {
    ranks,
    cpu: ranks,
    memoryMiB,
    scratchGiB,
    shmMiB: ranks > 1 ? Math.max(256, 64 * ranks) : 0,
    ephemeralStorageGiB: scratchGiB + 1,
  };
  const over = [
    resources.cpu > capacity.cpu ? `${resources.cpu} CPUs (${ranks} MPI ranks) > ${capacity.cpu}` : undefined,
    resources.memoryMiB > capacity.memoryMiB ? `${resources.memoryMiB} MiB memory > ${capacity.memoryMiB} MiB` : undefined,
    resources.ephemeralStorageGiB > capacity.ephemeralStorageGiB ? `${resources.ephemeralStorageGiB} GiB scratch disk > ${capacity.ephemeralStorageGiB} GiB` : undefined,
  ].filter((p): p is string => p !== undefined);
  if (over.length > 0) throw new CaseTooLargeError(`a case of ~${estimatedCells} cells on ${ranks} ranks needs more than a CFD node offers: ${over.join(", ")}`);
  return resources;
}

export class CaseTooLargeError extends Error {
  override name = "CaseTooLargeError";
}

function roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}
