import type * as z from 'zod';
import { SPEC_DEFAULTS } from '../defaults.js';
import { listOf, str } from './fields.js';
import { mapping } from './mapping.js';

/** The `register:` section: the model name and the aliases a new version gets. */
export const registerSectionSchema = mapping({
  model: str('a model name').optional().describe('Registered model name; the pipeline name when omitted.'),
  aliases: listOf(str('an alias'), 'a list of aliases')
    .default(() => [...SPEC_DEFAULTS.register.aliases])
    .describe('Aliases pointed at the new version once it passes its gates.'),
});

/** The section as written; the resolved spec always has `model` (see RegisterSection). */
export type RegisterSectionInput = z.output<typeof registerSectionSchema>;
/** The resolved `register:` section. */
export type RegisterSection = Omit<RegisterSectionInput, 'model'> & { model: string };
