/**
 * The one naming scheme of physical names (the names AWS sees): `taskflow-<environment>-...`.
 * Every component builds its names from {@link namePrefix}; renaming a physical name replaces the
 * resource in a real stack, so these strings are settled.
 */

/** First word of every physical name, SSM path and log group path. */
export const NAME_ROOT = "taskflow";

/** `taskflow-<environment>`: the prefix of every physical name. */
export function namePrefix(environment: string): string {
    return `${NAME_ROOT}-${environment}`;
}

/** `/taskflow/<environment>`: the prefix of SSM parameter and app log group paths. */
export function namePath(environment: string): string {
    return `/${NAME_ROOT}/${environment}`;
}
