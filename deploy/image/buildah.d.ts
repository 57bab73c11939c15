import { type ChildProcess } from 'node:child_process';
export declare const DOCKERFILE: string;
export declare const INSTALL_HINT = "run `bash deploy/image/install-buildah.sh` as root (apt-get install -y buildah)";
/** Why buildah cannot be used here, or undefined when it can. */
export declare function buildahProblem(): string | undefined;
/** A private buildah storage (vfs) for one run; `remove()` deletes it. */
export declare class Buildah {
    readonly dir: string;
    readonly flags: string[];
    run(args: readonly string[], options?: {
        input?: string;
    }): string;
    spawn(args: readonly string[]): ChildProcess;
    remove(): void;
}
/** The base image archive for this Node binary, built once (build-base.sh) and cached. */
export declare function ensureBaseImage(): string;
/**
 * Builds the adapter's image from the real Dockerfile (target runtime-prebuilt) over a context
 * that holds only packages/<adapter>/dist/, and returns its name.
 */
export declare function buildAdapterImage(buildah: Buildah, adapter: string, baseArchive: string): string;
export interface ImageConfig {
    readonly User?: string;
    readonly Entrypoint?: string[];
    readonly Cmd?: string[] | null;
    readonly Env?: string[];
    readonly WorkingDir?: string;
    readonly ExposedPorts?: Record<string, unknown>;
}
/** The OCI image config (user, entrypoint, env) as buildah recorded it. */
export declare function imageConfig(buildah: Buildah, image: string): ImageConfig;
export interface ImageSize {
    /** Bytes of the image's files, unpacked: its size on a node's disk. */
    readonly unpackedBytes: number;
    /** Bytes of the image as an OCI archive with gzip layers: what a registry stores and a pull transfers. */
    readonly compressedBytes: number;
}
/** Sums the image's files (mounted) and writes it to an OCI archive to measure its compressed size. */
export declare function imageSize(buildah: Buildah, image: string): ImageSize;
/** Process ids under `pid` (children, grandchildren, ...), from /proc. */
export declare function descendants(pid: number): number[];
/** The command line of a process, or '' once it is gone. */
export declare function commandLine(pid: number): string;
