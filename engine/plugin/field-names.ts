// The names a contact attribute (or a form's hidden field) may have: one rule for every
// input that writes them. Letters, digits and underscores, starting with a letter or an
// underscore; never a name JavaScript gives a meaning to on every object.
export const ATTRIBUTE_NAME_PATTERN = '^(?!(__proto__|constructor|prototype)$)[A-Za-z_][A-Za-z0-9_]{0,63}$';
