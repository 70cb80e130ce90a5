/** "1 item" / "3 items": the one way counts are written in summaries, progress and errors. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
