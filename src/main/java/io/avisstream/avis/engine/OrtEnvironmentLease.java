package io.avisstream.avis.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One reference of our own on ONNX Runtime's native environment, released when the engine is closed.
 *
 * <p>Why: the ORT Java library (1.23) registers a JVM shutdown hook ({@code OrtEnvironment$OrtEnvCloser}) that
 * releases the native {@code OrtEnv} as soon as the JVM starts to shut down. Shutdown hooks run concurrently and
 * unordered, so on SIGTERM that hook frees the environment (its logging manager and sink among others) while a
 * stream thread is still inside {@code OrtSession.run} and while the service's own hook is still closing Kafka
 * Streams. Every run creates its run logger through the environment's logging manager
 * ({@code InferenceSession::CreateLoggerForRun}), so the runs after the hook use freed memory and the JVM dies with
 * SIGSEGV in libonnxruntime (exit 134) once that memory is reused. No lock around our sessions can prevent it: the
 * session is fine, the environment under it is gone.
 *
 * <p>The native environment is reference-counted ({@code CreateEnv} on an existing environment adds a reference,
 * {@code ReleaseEnv} drops one and frees it at zero). The Java API keeps one reference and never exposes another, so
 * this lease takes one through the library's private native {@code createHandle} / {@code close}. With it, ORT's
 * hook only drops the Java library's reference, and the environment lives until {@link #release()}, which the
 * engine calls after its sessions are closed, i.e. after Kafka Streams has closed and joined its threads. The
 * shutdown order is then: Kafka Streams, then the engine's sessions, then the environment.
 *
 * <p>If the private methods are not there (another ORT version), the lease is empty and says so once in the log:
 * the service behaves as before (a SIGTERM during an inference can crash it). {@code OrtEnvironmentLeaseTest} fails
 * on such a version, so an upgrade cannot lose this silently.
 */
final class OrtEnvironmentLease {
    private static final Logger LOG = Logger.getLogger(OrtEnvironmentLease.class);

    private final long apiHandle;
    private final long envHandle;
    private final AtomicBoolean held;

    private OrtEnvironmentLease(long apiHandle, long envHandle, boolean held) {
        this.apiHandle = apiHandle;
        this.envHandle = envHandle;
        this.held = new AtomicBoolean(held);
    }

    /** Takes a reference on {@code environment}'s native environment; an empty lease when that is not possible. */
    static OrtEnvironmentLease acquire(OrtEnvironment environment) {
        try {
            long api = apiHandle();
            long expected = nativeHandle(environment);
            Method create = OrtEnvironment.class.getDeclaredMethod("createHandle", long.class, int.class, String.class);
            create.setAccessible(true);
            // The level and name are those of the existing environment's creation; ORT ignores them on a 2nd CreateEnv.
            long handle = (long) create.invoke(null, api, OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING.getValue(),
                    "avis-engine");
            if (handle != expected) {
                // Not the singleton: give that reference back rather than hold an environment of our own.
                close(api, handle);
                LOG.warnf("ONNX Runtime returned another environment (%x, not %x): no lease on it; a SIGTERM during"
                        + " an inference may crash the JVM", handle, expected);
                return new OrtEnvironmentLease(0, 0, false);
            }
            return new OrtEnvironmentLease(api, handle, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Cannot hold a reference on the ONNX Runtime environment (%s): its own shutdown hook may free it"
                    + " under a running inference (SIGSEGV on SIGTERM)", e);
            return new OrtEnvironmentLease(0, 0, false);
        }
    }

    /** Whether this lease holds a reference (false: empty, or released). */
    boolean held() {
        return held.get();
    }

    /** The native environment this lease holds, 0 when empty. */
    long handle() {
        return envHandle;
    }

    /** Drops the reference; idempotent. Call only when no session of this engine can run any more. */
    void release() {
        if (!held.compareAndSet(true, false)) {
            return;
        }
        try {
            close(apiHandle, envHandle);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Releasing the ONNX Runtime environment failed: %s", e);
        }
    }

    private static void close(long api, long handle) throws ReflectiveOperationException {
        Method close = OrtEnvironment.class.getDeclaredMethod("close", long.class, long.class);
        close.setAccessible(true);
        try {
            close.invoke(null, api, handle);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("ReleaseEnv failed", e.getCause());
        }
    }

    private static long apiHandle() throws ReflectiveOperationException {
        Class<?> runtime = Class.forName("ai.onnxruntime.OnnxRuntime", true, OrtEnvironment.class.getClassLoader());
        Field api = runtime.getDeclaredField("ortApiHandle");
        api.setAccessible(true);
        long handle = api.getLong(null);
        if (handle == 0) {
            throw new IllegalStateException("ONNX Runtime not initialised");
        }
        return handle;
    }

    static long nativeHandle(OrtEnvironment environment) throws ReflectiveOperationException {
        Field handle = OrtEnvironment.class.getDeclaredField("nativeHandle");
        handle.setAccessible(true);
        return handle.getLong(environment);
    }
}
