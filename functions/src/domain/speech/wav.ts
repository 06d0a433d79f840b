/**
 * The few facts about a WAV file that transcription needs. Twilio serves a
 * recording as `.wav`: RIFF, PCM, 16-bit, mono, 8 kHz. Google's synchronous
 * recognition takes at most a minute of audio per request, so a longer
 * message is cut into pieces on sample boundaries. A dozen lines of
 * arithmetic, not worth a dependency (docs/decisions.md).
 */

export interface PcmAudio {
  sampleRateHertz: number;
  /** 16-bit little-endian mono samples, no header. */
  pcm: Buffer;
}

export class WavError extends Error {}

/** Reads a 16-bit mono PCM WAV file; anything else is a WavError saying why. */
export function readWav(bytes: Buffer): PcmAudio {
  if (bytes.length < 12 || bytes.toString("ascii", 0, 4) !== "RIFF") {
    throw new WavError("not a WAV file (no RIFF header)");
  }
  if (bytes.toString("ascii", 8, 12) !== "WAVE") throw new WavError("not a WAV file (no WAVE)");
  let offset = 12;
  let format: { audioFormat: number; channels: number; rate: number; bits: number } | null = null;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString("ascii", offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === "fmt ") {
      if (size < 16 || body + 16 > bytes.length)
        throw new WavError("WAV format chunk is cut short");
      format = {
        audioFormat: bytes.readUInt16LE(body),
        channels: bytes.readUInt16LE(body + 2),
        rate: bytes.readUInt32LE(body + 4),
        bits: bytes.readUInt16LE(body + 14),
      };
    } else if (id === "data") {
      if (!format) throw new WavError("WAV data comes before its format");
      if (format.audioFormat !== 1 || format.bits !== 16 || format.channels !== 1) {
        throw new WavError(
          `WAV must be 16-bit mono PCM, got format ${format.audioFormat}, ${format.bits}-bit, ${format.channels} channel(s)`,
        );
      }
      // A recorder that never went back to write the size leaves 0 or too much: take what is there.
      const end = size === 0 || body + size > bytes.length ? bytes.length : body + size;
      return { sampleRateHertz: format.rate, pcm: bytes.subarray(body, end - ((end - body) % 2)) };
    }
    offset = body + size + (size % 2);
  }
  throw new WavError("WAV file has no data chunk");
}

/** Cuts audio into pieces of at most `maxSeconds`, on sample boundaries, in order. */
export function splitAudio(audio: PcmAudio, maxSeconds: number): PcmAudio[] {
  const bytesPerPiece = Math.max(2, Math.floor(audio.sampleRateHertz * maxSeconds) * 2);
  const pieces: PcmAudio[] = [];
  for (let start = 0; start < audio.pcm.length; start += bytesPerPiece) {
    pieces.push({
      sampleRateHertz: audio.sampleRateHertz,
      pcm: audio.pcm.subarray(start, start + bytesPerPiece),
    });
  }
  return pieces;
}

/** Builds a 16-bit mono PCM WAV file (for tests and the local tools). */
export function writeWav(audio: PcmAudio): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + audio.pcm.length, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(audio.sampleRateHertz, 24);
  header.writeUInt32LE(audio.sampleRateHertz * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(audio.pcm.length, 40);
  return Buffer.concat([header, audio.pcm]);
}
