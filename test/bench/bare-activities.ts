export async function noop(i: number): Promise<number> {
  return i;
}
