/**
 * Task id → subscription key (Rodin's status call needs the key, clients know the id).
 * In memory, and when a data directory is configured also in `tasks.json` there, rewritten
 * whole through a temporary file and a rename, so a crash leaves the old or the new file,
 * never half of one. Bounded: beyond `maxTasks` the oldest are forgotten.
 */
import { mkdir, open, readFile, rename } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

const TaskRecord = z.object({
  taskId: z.string().min(1),
  subscriptionKey: z.string().min(1),
  jobs: z.array(z.string()),
  createdAt: z.string(),
});
export type TaskRecord = z.infer<typeof TaskRecord>;

const TaskFile = z.object({ version: z.literal(1), tasks: z.array(TaskRecord) });

export class TaskStore {
  private readonly tasks = new Map<string, TaskRecord>();
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string | undefined,
    private readonly maxTasks: number,
  ) {}

  /** Loads `tasks.json` if there is one; an unreadable or corrupt file stops the start (no silent loss). */
  static async open(dataDir: string | undefined, maxTasks: number): Promise<TaskStore> {
    if (!dataDir) return new TaskStore(undefined, maxTasks);
    await mkdir(dataDir, { recursive: true });
    const store = new TaskStore(path.join(dataDir, "tasks.json"), maxTasks);
    let text: string | undefined;
    try {
      text = await readFile(store.file!, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (text !== undefined) {
      let parsed: z.infer<typeof TaskFile>;
      try {
        parsed = TaskFile.parse(JSON.parse(text));
      } catch (error) {
        throw new Error(`${store.file} is not a valid task file (${(error as Error).message.slice(0, 200)}); move it aside to start empty`);
      }
      for (const task of parsed.tasks) store.remember(task);
    }
    // Fail now, not on the first task, if the directory cannot be written.
    await store.persist();
    return store;
  }

  get persistent(): boolean {
    return this.file !== undefined;
  }

  get(taskId: string): TaskRecord | undefined {
    return this.tasks.get(taskId);
  }

  async add(task: TaskRecord): Promise<void> {
    this.remember(task);
    await this.persist();
  }

  private remember(task: TaskRecord): void {
    this.tasks.set(task.taskId, task);
    while (this.tasks.size > this.maxTasks) this.tasks.delete(this.tasks.keys().next().value as string);
  }

  /** Writes are queued so two tasks added together cannot interleave their files. */
  private persist(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const write = this.writes.then(async () => {
      const temporary = `${file}.${process.pid}.tmp`;
      const handle = await open(temporary, "w", 0o600);
      try {
        await handle.writeFile(JSON.stringify({ version: 1, tasks: [...this.tasks.values()] }));
        // On disk before the rename makes it the file: a crash leaves the old or the new one.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    });
    this.writes = write.catch(() => undefined);
    return write;
  }
}
