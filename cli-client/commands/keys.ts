import { type Command, Option } from "commander";
import { optionsOf } from "../../terminal/global-options.ts";
import { addAccountKeyCommands } from "./account-keys.ts";
import { homePaths } from "../../terminal/home.ts";
import {
  DEFAULT_KEY_BITS,
  generateKeyPair,
  isEncryptedPrivateKey,
  KEY_BITS_CHOICES,
  type KeyBits,
  keyPairExists,
  loadPrivateKeyPem,
  loadPublicKeyPem,
  publicKeyBits,
  publicKeyFingerprint,
  saveKeyPair,
} from "../keys.ts";
import { clientFailures } from "../messages.ts";
import { printResult } from "../../terminal/output.ts";
import { promptNewSecret, readStdinLines } from "../../terminal/hidden-input.ts";

interface GenerateOptions {
  bits: string;
  passphrase?: boolean;
  passphraseStdin?: boolean;
  force?: boolean;
}

export function addKeysCommands(program: Command): void {
  const keys = program.command("keys").description("this machine's RSA key pair (the private key never leaves it), and your account's keys at the hub");
  keys
    .command("generate")
    .description("make a new key pair for this machine and print its fingerprint")
    .addOption(new Option("--bits <bits>", "RSA modulus size").choices(KEY_BITS_CHOICES.map(String)).default(String(DEFAULT_KEY_BITS)))
    .addOption(new Option("--passphrase", "encrypt the private key with a passphrase asked at a hidden prompt").conflicts("passphraseStdin"))
    .option("--passphrase-stdin", "encrypt the private key with a passphrase read from the first line of standard input")
    .option("--force", "replace an existing key pair")
    .action((_options, command: Command) => generateKeys(command));
  keys
    .command("show")
    .description("print the public key and its fingerprint")
    .action((_options, command: Command) => showKeys(command));
  addAccountKeyCommands(keys);
}

async function generateKeys(command: Command): Promise<void> {
  const options = optionsOf<GenerateOptions>(command);
  const paths = homePaths();
  if (!options.force && (await keyPairExists(paths))) throw clientFailures.keyExists(paths.privateKey);

  const passphrase = await readNewPassphrase(options);
  const bits = Number(options.bits) as KeyBits;
  const pair = generateKeyPair(bits, passphrase);
  await saveKeyPair(paths, pair);

  const fingerprint = publicKeyFingerprint(pair.publicKeyPem);
  const encrypted = passphrase !== undefined;
  printResult(options, { bits, fingerprint, encrypted, privateKeyFile: paths.privateKey, publicKeyFile: paths.publicKey }, [
    `Generated a ${bits}-bit RSA key pair.`,
    `Private key: ${paths.privateKey} (${encrypted ? "encrypted with your passphrase" : "not encrypted"})`,
    `Public key:  ${paths.publicKey}`,
    `Fingerprint (SHA-256): ${fingerprint}`,
  ]);
}

async function readNewPassphrase(options: GenerateOptions): Promise<string | undefined> {
  if (options.passphraseStdin) return (await readStdinLines(1))[0];
  if (!options.passphrase) return undefined;
  const passphrase = await promptNewSecret("Key passphrase:", "Use --passphrase-stdin instead.");
  if (passphrase.length === 0) throw clientFailures.badInput("The passphrase cannot be empty; leave out --passphrase for an unencrypted key.");
  return passphrase;
}

async function showKeys(command: Command): Promise<void> {
  const options = optionsOf(command);
  const paths = homePaths();
  const publicKey = await loadPublicKeyPem(paths);
  const privateKey = await loadPrivateKeyPem(paths);
  if (publicKey === undefined || privateKey === undefined) throw clientFailures.noKey(paths.home);

  const fingerprint = publicKeyFingerprint(publicKey);
  const bits = publicKeyBits(publicKey);
  const encrypted = isEncryptedPrivateKey(privateKey);
  printResult(options, { publicKey, fingerprint, bits, encrypted, privateKeyFile: paths.privateKey, publicKeyFile: paths.publicKey }, [
    publicKey.trimEnd(),
    `Fingerprint (SHA-256): ${fingerprint}`,
    `${bits}-bit RSA; private key ${encrypted ? "encrypted" : "not encrypted"} at ${paths.privateKey}`,
  ]);
}
