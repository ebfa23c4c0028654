package dev.rotor.store.awssecretsmanager;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rotor.store.ProviderContext;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Watches the attempts the SDK's retry strategy makes: every attempt after the first is a resend, announced as one
 * progress line (store, operation, the answer that caused it, attempt n of max, the wait) and counted for the report.
 * The answer is the HTTP status and the error's {@code __type} from an error body; a success body is never read.
 */
final class AttemptObserver implements ExecutionInterceptor {
    private static final ExecutionAttribute<Attempts> ATTEMPTS = new ExecutionAttribute<>("RotorAttempts");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call's attempts: how many were sent, what the last one got and when. */
    private static final class Attempts {
        int sent;
        String answer;
        Instant answeredAt;
    }

    private final String storeName;
    private final int maxAttempts;
    private final Clock clock;
    private final Consumer<String> progress;
    private final ProviderContext.Resends resends;

    AttemptObserver(String storeName, int maxAttempts, Clock clock, Consumer<String> progress,
                    ProviderContext.Resends resends) {
        this.storeName = storeName;
        this.maxAttempts = maxAttempts;
        this.clock = clock;
        this.progress = progress == null ? line -> { } : progress;
        this.resends = resends;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(ATTEMPTS, new Attempts());
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Attempts attempts = attributes.getAttribute(ATTEMPTS);
        if (attempts == null) {
            return;
        }
        attempts.sent++;
        Instant now = clock.instant();
        if (attempts.sent > 1) {
            Duration waited = Duration.between(attempts.answeredAt, now);
            progress.accept("store '" + storeName + "' (aws-secrets-manager): "
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " got " + attempts.answer
                    + "; attempt " + attempts.sent + " of " + maxAttempts + " after "
                    + String.format(Locale.ROOT, "%.1f s", waited.toMillis() / 1000.0));
            if (resends != null) {
                resends.add();
            }
        }
        // Until an answer arrives: a connection that fails gives none.
        attempts.answer = "no answer";
        attempts.answeredAt = now;
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Attempts attempts = attributes.getAttribute(ATTEMPTS);
        if (attempts != null) {
            attempts.answer = "HTTP " + context.httpResponse().statusCode();
            attempts.answeredAt = clock.instant();
        }
    }

    /** Reads an error body's {@code __type} (AWS's error code; the body carries no value) and hands the bytes on. */
    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                          ExecutionAttributes attributes) {
        Attempts attempts = attributes.getAttribute(ATTEMPTS);
        Optional<InputStream> body = context.responseBody();
        if (attempts == null || context.httpResponse().isSuccessful() || body.isEmpty()) {
            return body;
        }
        try {
            byte[] bytes = body.get().readAllBytes();
            String type = errorType(bytes);
            if (type != null) {
                attempts.answer = "HTTP " + context.httpResponse().statusCode() + " " + type;
            }
            return Optional.of(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            return Optional.of(new ByteArrayInputStream(new byte[0]));
        }
    }

    /** {@code "__type": "com.amazon.coral.service#ThrottlingException"} gives {@code ThrottlingException}. */
    private static String errorType(byte[] body) {
        try {
            JsonNode type = JSON.readTree(body).path("__type");
            if (!type.isTextual()) {
                return null;
            }
            String text = type.asText();
            String name = text.substring(text.lastIndexOf('#') + 1);
            return name.matches("[A-Za-z0-9.]{1,100}") ? name : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
