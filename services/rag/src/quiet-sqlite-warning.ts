/**
 * Node 22 still flags `node:sqlite` experimental and prints one ExperimentalWarning when it
 * loads: a non-JSON line on stderr that log shippers and the process tests would trip over.
 * Only that warning is dropped; every other warning reaches the listeners Node installed
 * (its printer, --disable-warning, --redirect-warnings keep working). Import this before
 * anything that loads node:sqlite.
 */
export function isSqliteExperimentalWarning(warning: Error): boolean {
  return warning.name === "ExperimentalWarning" && /\bSQLite\b/i.test(warning.message);
}

const listeners = process.listeners("warning");
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  if (isSqliteExperimentalWarning(warning)) return;
  for (const listener of listeners) listener.call(process, warning);
});
