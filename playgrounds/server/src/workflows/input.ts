import { z } from 'zod'

/** Every demo workflow takes a topic; a blank one is refused with `400 invalid_input`. */
export const TopicInput = z.object({ topic: z.string().trim().min(1).max(200) })
