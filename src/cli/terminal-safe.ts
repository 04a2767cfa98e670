/**
 * Text from a file (cell values quoted in error messages, file names) made safe to print on a
 * terminal: control characters, which can move the cursor, recolour, retitle the window or
 * rewrite earlier lines (ESC sequences, CR, backspace), and bidirectional overrides, which can
 * make a line read differently than it is, are shown as visible escapes such as \x1b or \u202e.
 */
export function terminalSafe(text: string): string {
  // C0 controls except tab, DEL, C1 controls, and the bidi embedding/override/isolate marks.
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
