/**
 * Reads the subset of Twilio voice TwiML the product answers with into a typed
 * list of verbs. Dependency-free on purpose: the simulator must be able to show
 * exactly what it received, including documents a real XML library would
 * "helpfully" repair.
 */

export type HttpMethod = "GET" | "POST";
export type GatherInput = "speech" | "dtmf";

export interface SayVerb {
  readonly kind: "say";
  readonly text: string;
  readonly loop: number;
}

export interface PlayVerb {
  readonly kind: "play";
  readonly url: string;
  readonly digits?: string;
  readonly loop: number;
}

export interface PauseVerb {
  readonly kind: "pause";
  readonly seconds: number;
}

export type PromptVerb = SayVerb | PlayVerb | PauseVerb;

export interface GatherVerb {
  readonly kind: "gather";
  readonly action?: string;
  readonly method: HttpMethod;
  readonly input: readonly GatherInput[];
  readonly timeout?: number;
  readonly speechTimeout?: string;
  readonly numDigits?: number;
  readonly hints?: string;
  readonly actionOnEmptyResult: boolean;
  readonly prompts: readonly PromptVerb[];
}

export interface RecordVerb {
  readonly kind: "record";
  readonly action?: string;
  readonly method: HttpMethod;
  readonly timeout?: number;
  readonly maxLength?: number;
  readonly finishOnKey?: string;
  readonly playBeep: boolean;
  readonly recordingStatusCallback?: string;
  readonly recordingStatusCallbackMethod: HttpMethod;
  readonly recordingStatusCallbackEvents: readonly string[];
}

export interface RedirectVerb {
  readonly kind: "redirect";
  readonly url: string;
  readonly method: HttpMethod;
}

export interface HangupVerb {
  readonly kind: "hangup";
}

export interface RejectVerb {
  readonly kind: "reject";
  readonly reason: "rejected" | "busy";
}

export interface DialNumber {
  readonly number: string;
  readonly url?: string;
  readonly method: HttpMethod;
  readonly statusCallback?: string;
  readonly statusCallbackMethod: HttpMethod;
  readonly statusCallbackEvents: readonly string[];
}

export interface DialVerb {
  readonly kind: "dial";
  readonly action?: string;
  readonly method: HttpMethod;
  readonly timeout: number;
  readonly callerId?: string;
  readonly answerOnBridge: boolean;
  readonly numbers: readonly DialNumber[];
}

export interface MessageVerb {
  readonly kind: "message";
  readonly text: string;
  readonly to?: string;
  readonly from?: string;
}

export interface UnsupportedVerb {
  readonly kind: "unsupported";
  readonly name: string;
}

export type TwimlVerb =
  | SayVerb
  | PlayVerb
  | PauseVerb
  | GatherVerb
  | RecordVerb
  | RedirectVerb
  | HangupVerb
  | RejectVerb
  | DialVerb
  | MessageVerb
  | UnsupportedVerb;

export class TwimlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TwimlParseError";
  }
}

/** A parsed XML element: just what TwiML needs (no namespaces, no mixed-content order). */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated text directly inside this element, entities decoded. */
  readonly text: string;
  /** Text and child elements in document order (SSML inside <Say>). */
  readonly nodes: ReadonlyArray<XmlElement | string>;
}

/** Parses a TwiML document into its verbs. Throws TwimlParseError on anything malformed. */
export function parseTwiml(xml: string): TwimlVerb[] {
  const root = parseXml(xml);
  if (root.name !== "Response") {
    throw new TwimlParseError(`expected a <Response> root element, found <${root.name}>`);
  }
  return root.children.map(toVerb);
}

function toVerb(element: XmlElement): TwimlVerb {
  switch (element.name) {
    case "Say":
    case "Play":
    case "Pause":
      return toPrompt(element);
    case "Gather":
      return toGather(element);
    case "Redirect":
      return {
        kind: "redirect",
        url: requireText(element),
        method: methodOf(element.attributes.method),
      };
    case "Record":
      return {
        kind: "record",
        action: element.attributes.action,
        method: methodOf(element.attributes.method),
        timeout: intOf(element, "timeout"),
        maxLength: intOf(element, "maxLength"),
        finishOnKey: element.attributes.finishOnKey,
        playBeep: element.attributes.playBeep !== "false",
        recordingStatusCallback: element.attributes.recordingStatusCallback,
        recordingStatusCallbackMethod: methodOf(element.attributes.recordingStatusCallbackMethod),
        recordingStatusCallbackEvents: (
          element.attributes.recordingStatusCallbackEvent ?? "completed"
        )
          .split(/\s+/)
          .filter(Boolean),
      };
    case "Hangup":
      return { kind: "hangup" };
    case "Reject":
      return { kind: "reject", reason: element.attributes.reason === "busy" ? "busy" : "rejected" };
    case "Dial":
      return toDial(element);
    case "Sms":
    case "Message":
      return {
        kind: "message",
        text: collapse(allText(element)),
        to: element.attributes.to,
        from: element.attributes.from,
      };
    default:
      return { kind: "unsupported", name: element.name };
  }
}

function toPrompt(element: XmlElement): PromptVerb {
  const loop = intOf(element, "loop") ?? 1;
  switch (element.name) {
    case "Say":
      return { kind: "say", text: collapse(allText(element)), loop };
    case "Play": {
      const digits = element.attributes.digits;
      return digits
        ? { kind: "play", url: element.text.trim(), digits, loop }
        : { kind: "play", url: requireText(element), loop };
    }
    case "Pause":
      return { kind: "pause", seconds: intOf(element, "length") ?? 1 };
    default:
      throw new TwimlParseError(`<${element.name}> is not allowed here`);
  }
}

function toGather(element: XmlElement): GatherVerb {
  const input = (element.attributes.input ?? "dtmf").split(/\s+/).filter(Boolean);
  for (const kind of input) {
    if (kind !== "speech" && kind !== "dtmf") {
      throw new TwimlParseError(
        `<Gather input="${element.attributes.input}"> is not a valid input`,
      );
    }
  }
  const prompts = element.children.map((child) => {
    if (child.name !== "Say" && child.name !== "Play" && child.name !== "Pause") {
      throw new TwimlParseError(`<${child.name}> cannot be nested in <Gather>`);
    }
    return toPrompt(child);
  });
  return {
    kind: "gather",
    action: element.attributes.action,
    method: methodOf(element.attributes.method),
    input: input as GatherInput[],
    timeout: intOf(element, "timeout"),
    speechTimeout: element.attributes.speechTimeout,
    numDigits: intOf(element, "numDigits"),
    hints: element.attributes.hints,
    actionOnEmptyResult: element.attributes.actionOnEmptyResult === "true",
    prompts,
  };
}

function toDial(element: XmlElement): DialVerb {
  const numbers: DialNumber[] = [];
  for (const child of element.children) {
    if (child.name !== "Number") {
      throw new TwimlParseError(`<Dial><${child.name}> is not supported by the simulator`);
    }
    numbers.push({
      number: requireText(child),
      url: child.attributes.url,
      method: methodOf(child.attributes.method),
      statusCallback: child.attributes.statusCallback,
      statusCallbackMethod: methodOf(child.attributes.statusCallbackMethod),
      statusCallbackEvents: (child.attributes.statusCallbackEvent ?? "completed")
        .split(/\s+/)
        .filter(Boolean),
    });
  }
  // <Dial>+44...</Dial> is shorthand for a single <Number>.
  if (numbers.length === 0 && element.text.trim()) {
    numbers.push({
      number: element.text.trim(),
      method: "POST",
      statusCallbackMethod: "POST",
      statusCallbackEvents: [],
    });
  }
  if (numbers.length === 0) {
    throw new TwimlParseError("<Dial> has no number to call");
  }
  return {
    kind: "dial",
    action: element.attributes.action,
    method: methodOf(element.attributes.method),
    timeout: intOf(element, "timeout") ?? 30,
    callerId: element.attributes.callerId,
    answerOnBridge: element.attributes.answerOnBridge === "true",
    numbers,
  };
}

function methodOf(value: string | undefined): HttpMethod {
  if (value === undefined || value.toUpperCase() === "POST") return "POST";
  if (value.toUpperCase() === "GET") return "GET";
  throw new TwimlParseError(`method="${value}" is neither GET nor POST`);
}

function intOf(element: XmlElement, name: string): number | undefined {
  const raw = element.attributes[name];
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim())) {
    throw new TwimlParseError(`<${element.name} ${name}="${raw}"> is not a whole number`);
  }
  return Number(raw);
}

function requireText(element: XmlElement): string {
  const text = element.text.trim();
  if (!text) throw new TwimlParseError(`<${element.name}> is empty`);
  return text;
}

/** Say may contain SSML tags (<break/>, <emphasis>): read all the words, in order. */
function allText(element: XmlElement): string {
  return element.nodes.map((node) => (typeof node === "string" ? node : allText(node))).join("");
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------------------
// A minimal XML reader: elements, attributes, text, entities, comments, CDATA,
// the <?xml?> declaration. Enough for TwiML, strict about well-formedness.

interface MutableElement {
  name: string;
  attributes: Record<string, string>;
  children: MutableElement[];
  text: string;
  nodes: Array<MutableElement | string>;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

export function decodeEntities(raw: string): string {
  return raw.replace(/&([^;\s&]*);?/g, (match, body: string) => {
    if (!match.endsWith(";")) throw new TwimlParseError(`unterminated entity "${match}"`);
    if (body in NAMED_ENTITIES) return NAMED_ENTITIES[body];
    const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body);
    if (numeric) {
      const code = numeric[1].startsWith("x")
        ? parseInt(numeric[1].slice(1), 16)
        : parseInt(numeric[1], 10);
      if (code > 0x10ffff) throw new TwimlParseError(`invalid character reference "${match}"`);
      return String.fromCodePoint(code);
    }
    throw new TwimlParseError(`unknown entity "${match}"`);
  });
}

export function parseXml(xml: string): XmlElement {
  const source = xml.replace(/^\uFEFF/, "");
  const stack: MutableElement[] = [];
  let root: MutableElement | undefined;
  let position = 0;

  function fail(message: string): never {
    const line = source.slice(0, position).split("\n").length;
    throw new TwimlParseError(`${message} (line ${line})`);
  }

  while (position < source.length) {
    const next = source.indexOf("<", position);
    const textEnd = next === -1 ? source.length : next;
    if (textEnd > position) {
      const raw = source.slice(position, textEnd);
      const current = stack[stack.length - 1];
      if (current) addText(current, decodeEntities(raw));
      else if (raw.trim()) fail(`text outside the root element: "${raw.trim().slice(0, 40)}"`);
      position = textEnd;
      continue;
    }

    if (source.startsWith("<?", position)) {
      const end = source.indexOf("?>", position);
      if (end === -1) fail("unterminated <? ?> declaration");
      position = end + 2;
    } else if (source.startsWith("<!--", position)) {
      const end = source.indexOf("-->", position);
      if (end === -1) fail("unterminated comment");
      position = end + 3;
    } else if (source.startsWith("<![CDATA[", position)) {
      const end = source.indexOf("]]>", position);
      if (end === -1) fail("unterminated CDATA section");
      const current = stack[stack.length - 1];
      if (!current) fail("CDATA outside the root element");
      addText(current, source.slice(position + 9, end));
      position = end + 3;
    } else if (source.startsWith("<!", position)) {
      fail("DOCTYPE and other declarations are not allowed in TwiML");
    } else if (source.startsWith("</", position)) {
      const match = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(source.slice(position));
      if (!match) fail("malformed closing tag");
      const name = match[1];
      const open = stack.pop();
      if (!open) fail(`closing </${name}> without an opening tag`);
      if (open.name !== name) fail(`</${name}> closes <${open.name}>`);
      position += match[0].length;
    } else {
      const element = readStartTag();
      const parent = stack[stack.length - 1];
      if (parent) {
        parent.children.push(element.element);
        parent.nodes.push(element.element);
      } else if (root) fail(`a second root element <${element.element.name}>`);
      else root = element.element;
      if (!element.selfClosing) stack.push(element.element);
    }
  }

  if (stack.length > 0) {
    throw new TwimlParseError(`<${stack[stack.length - 1].name}> is never closed`);
  }
  if (!root) throw new TwimlParseError("the document is empty");
  return root;

  function addText(element: MutableElement, text: string): void {
    element.text += text;
    element.nodes.push(text);
  }

  function readStartTag(): { element: MutableElement; selfClosing: boolean } {
    const nameMatch = /^<([A-Za-z_][\w.:-]*)/.exec(source.slice(position));
    if (!nameMatch) fail("malformed tag");
    position += nameMatch[0].length;
    const element: MutableElement = {
      name: nameMatch[1],
      attributes: {},
      children: [],
      text: "",
      nodes: [],
    };
    for (;;) {
      const whitespace = /^\s*/.exec(source.slice(position))?.[0] ?? "";
      position += whitespace.length;
      if (source.startsWith("/>", position)) {
        position += 2;
        return { element, selfClosing: true };
      }
      if (source.startsWith(">", position)) {
        position += 1;
        return { element, selfClosing: false };
      }
      if (position >= source.length) fail(`unterminated <${element.name}> tag`);
      if (!whitespace) fail(`expected whitespace before an attribute of <${element.name}>`);
      const attribute = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(
        source.slice(position),
      );
      if (!attribute) fail(`malformed attribute in <${element.name}>`);
      const [whole, name, , doubleQuoted, singleQuoted] = attribute;
      if (name in element.attributes) fail(`duplicate attribute ${name} in <${element.name}>`);
      element.attributes[name] = decodeEntities(doubleQuoted ?? singleQuoted ?? "");
      position += whole.length;
    }
  }
}
