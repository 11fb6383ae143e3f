/**
 * Serialises work per run id inside this process. Every change to a run's
 * record and every segment boundary happens under it, so two racing requests
 * (say, the same approval twice) are decided one after the other.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>()

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    let release: () => void = () => {}
    const current = new Promise<void>((resolve) => {
      release = resolve
    })
    const tail = previous.then(() => current)
    this.tails.set(key, tail)
    await previous
    try {
      return await work()
    } finally {
      release()
      // Forget the key once nobody queued behind us, so the map does not grow with every run.
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }
}
