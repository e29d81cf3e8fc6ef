// A progress bar on stderr: redrawn in place on a terminal, a line per step otherwise
// (logs and CI), so stdout stays free for the report.
export interface Progress {
  tick(done: number): void;
  end(): void;
}

export function progressBar(total: number, label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const width = 30;
  let lastLine = -1;
  const draw = (done: number) => {
    const share = total ? done / total : 1;
    const filled = Math.round(share * width);
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} (${Math.round(share * 100)}%)`;
  };
  return {
    tick(done) {
      if (stream.isTTY) stream.write(`\r${draw(done)}`);
      else if (Math.floor((done / Math.max(total, 1)) * 10) !== lastLine) {
        lastLine = Math.floor((done / Math.max(total, 1)) * 10);
        stream.write(draw(done) + '\n');
      }
    },
    end() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
