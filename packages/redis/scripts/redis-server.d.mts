export interface RedisServer {
  url: string
  port: number
  stop(): Promise<void>
}
export function freePort(): Promise<number>
export function startRedisServer(options?: { binary?: string }): Promise<RedisServer>
