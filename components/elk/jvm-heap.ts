/**
 * JVM heap for a container with `memoryMiB` of memory: half of it. The other half is for
 * what lives off-heap (Lucene's page cache for Elasticsearch, direct buffers and JRuby for
 * Logstash); Elastic's sizing guidance is "no more than 50%". Xms = Xmx so the heap never
 * resizes under load.
 */
export function heapMiB(memoryMiB: number, minimumMemoryMiB: number): number {
  if (!Number.isInteger(memoryMiB) || memoryMiB < minimumMemoryMiB) {
    throw new Error(`memory limit ${memoryMiB} MiB is below the ${minimumMemoryMiB} MiB this JVM workload needs`);
  }
  return Math.floor(memoryMiB / 2);
}

/** `-Xms…m -Xmx…m` for ES_JAVA_OPTS / LS_JAVA_OPTS. */
export function heapJavaOpts(memoryMiB: number, minimumMemoryMiB: number): string {
  const heap = heapMiB(memoryMiB, minimumMemoryMiB);
  return `-Xms${heap}m -Xmx${heap}m`;
}
