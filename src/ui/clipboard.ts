/**
 * The terminal's own clipboard (OSC 52): works over SSH and in tmux (with `set -g set-clipboard on`),
 * with no clipboard tool on the machine. The text is the command exactly as shown, on one line.
 */
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}
