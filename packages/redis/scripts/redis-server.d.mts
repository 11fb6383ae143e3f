export interface RedisServer {
  url: string
  port: number
  stop(): Promise<void>
}
export function freePort(): Promise<number>
export function spawnRedisServer(binary: string, port: number, extraArgs?: string[]): Promise<import('node:child_process').ChildProcess | undefined>
export function stopRedisServer(child: import('node:child_process').ChildProcess): Promise<void>
export function startRedisServer(options?: { binary?: string }): Promise<RedisServer>
