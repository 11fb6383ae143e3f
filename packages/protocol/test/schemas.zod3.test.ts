import { vi } from 'vitest'
import { schemaContract } from './schemas/contract.js'

// zod 3.25 is inside the peer range; zod 4 ships zod 3's implementation as `zod/v3`.
vi.mock('zod', async () => await import('zod/v3'))

schemaContract('zod 3')
