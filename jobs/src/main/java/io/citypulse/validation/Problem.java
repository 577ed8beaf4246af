package io.citypulse.validation;

/** Why a record is rejected: a machine-readable reason and a message a person can act on. */
public record Problem(String reason, String detail) {}
