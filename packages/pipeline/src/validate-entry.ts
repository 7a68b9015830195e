/**
 * `@myelin/pipeline/validate`: what `myelin validate` needs, without the rest of the package
 * (loading the whole index — executors, queues, engines — cost the command about a second).
 */
export { validateData, type DataValidationResult, type ValidateDataOptions } from './steps/validate-data.js';
export { validationVerdict, type ValidationVerdict } from './steps/validation-verdict.js';
