// What publishing would change, in words: one rule for the editor and the audit log
// (engine/flow/diff.ts); the editor names node kinds from its catalogue.
export { diffPrograms, type Change } from '../../../engine/flow/diff.js';
