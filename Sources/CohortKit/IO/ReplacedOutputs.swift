#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Releases the memory that the page cache holds for a stage's previous outputs when the stage
/// starts, since the run replaces them (docs/stages.md#atomic-outputs).
///
/// A run writes its outputs into new files and puts them in place at the end, so the previous
/// files' cached pages would be freed only then, after the run has taken as many fresh pages for
/// the new ones. Released first, the same pages are free again as the run writes. On a virtual
/// machine that hands free memory back to its host (free page reporting, a balloon), a page
/// that has been free for a while costs a fault to the host when it is next written (measured
/// in docs/stages.md#atomic-outputs). Elsewhere it only frees the memory earlier.
///
/// The files themselves are not touched: a run that fails leaves them as they were (read from
/// disk again rather than from memory). Pages not yet written to disk stay in memory; the kernel
/// starts writing them.
public enum ReplacedOutputs {
    /// Files smaller than this are left alone (their pages are few).
    public static let minimumBytes = 8 << 20

    /// Releases the cached pages of each of `paths` that is a regular file of at least
    /// `minimumBytes`; returns how many files it asked the kernel to release.
    @discardableResult
    public static func releaseCache(of paths: [String]) -> Int {
        var released = 0
        for path in paths {
            guard FilePaths.isRegularFile(path), (FilePaths.size(path) ?? 0) >= minimumBytes else { continue }
            // Not following a link, and not blocking on a pipe put in the file's place meanwhile;
            // the descriptor must still be a regular file.
            let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var st = stat()
            guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            #if canImport(Glibc)
                if posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED)) == 0 { released += 1 }
            #endif
        }
        return released
    }
}
