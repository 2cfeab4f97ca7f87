package io.github.knetj.api;

/** Thrown when an explicitly requested backend cannot start; the message holds the reason. */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) { super(message); }

    public BackendUnavailableException(String message, Throwable cause) { super(message, cause); }
}
