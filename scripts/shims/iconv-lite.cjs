// Bundle-time stand-in for iconv-lite (pulled in by express's body parsers, which Tributary never
// mounts: intake reads raw bytes itself). Node's own decoders cover the charsets Node knows;
// anything else is refused, as iconv-lite would refuse an unknown one.
'use strict';
const { StringDecoder } = require('node:string_decoder');

const known = (encoding) => typeof encoding === 'string' && Buffer.isEncoding(encoding.toLowerCase());
module.exports = {
  encodingExists: known,
  getDecoder: (encoding) => new StringDecoder(encoding.toLowerCase()),
  decode: (buffer, encoding) => buffer.toString(encoding.toLowerCase()),
  encode: (text, encoding) => Buffer.from(text, encoding.toLowerCase()),
};
