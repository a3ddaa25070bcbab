package dev.sluice.gateway.frontend.flight;

import static java.util.Objects.requireNonNull;

import io.grpc.Context;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor service that runs each task in the gRPC context it was submitted from. Flight runs
 * some handlers (DoPut's, the handshake's) as tasks on the server's executor rather than on the
 * call's own thread, and the context is what carries the caller {@link FlightAuthentication}
 * established.
 */
final class GrpcContextExecutor extends AbstractExecutorService {
  private final ExecutorService delegate;

  GrpcContextExecutor(ExecutorService delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  @Override
  public void execute(Runnable task) {
    delegate.execute(Context.current().wrap(task));
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return delegate.shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.awaitTermination(timeout, unit);
  }
}
