import { schemaContract } from './schemas/contract.js'

schemaContract('zod 4')
