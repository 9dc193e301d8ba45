import Dispatch

/// Runs two independent pieces of a stage's work: side by side on two threads when `parallel`,
/// else `a` then `b`. Returns both results; when either throws, rethrows `a`'s error first, so
/// the message does not depend on which thread finished first.
///
/// Neither piece may touch what the other does, except through values both only read.
func sideBySide<A, B>(parallel: Bool, _ a: () throws -> A, _ b: () throws -> B) throws -> (A, B) {
    guard parallel else { return (try a(), try b()) }
    let results = SideBySideResults<A, B>()
    withoutActuallyEscaping(a) { a in
        withoutActuallyEscaping(b) { b in
            DispatchQueue.concurrentPerform(iterations: 2) { k in
                if k == 0 { results.a = Result { try a() } } else { results.b = Result { try b() } }
            }
        }
    }
    return (try results.a!.get(), try results.b!.get())
}

/// What each thread of `sideBySide` left; each writes only its own.
private final class SideBySideResults<A, B> {
    var a: Result<A, Error>?
    var b: Result<B, Error>?
}
