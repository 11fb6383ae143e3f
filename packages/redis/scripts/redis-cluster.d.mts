export interface RedisCluster {
  nodes: Array<{ host: string; port: number }>
  stop(): Promise<void>
}
export function startRedisCluster(options?: { server?: string; client?: string }): Promise<RedisCluster>
