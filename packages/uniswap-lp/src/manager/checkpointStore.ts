import { readFile, rename, writeFile } from 'node:fs/promises'

/** Where the manager keeps its checkpoint (JSON text). */
export type LpManagerCheckpointStore = {
  load(): Promise<string | null>
  save(text: string): Promise<void>
}

/** In memory (tests, or a process that may lose the checkpoint). */
export function createMemoryCheckpointStore(initial: string | null = null): LpManagerCheckpointStore & {
  readonly text: string | null
} {
  let text = initial
  return {
    get text() {
      return text
    },
    load: async () => text,
    save: async (next) => {
      text = next
    },
  }
}

/** A file, replaced atomically (write to `<path>.tmp`, then rename). A missing file is no checkpoint. */
export function createFileCheckpointStore(path: string): LpManagerCheckpointStore {
  return {
    async load() {
      try {
        return await readFile(path, 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw error
      }
    },
    async save(text) {
      await writeFile(`${path}.tmp`, text, 'utf8')
      await rename(`${path}.tmp`, path)
    },
  }
}
