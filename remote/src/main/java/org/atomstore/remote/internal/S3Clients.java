package org.atomstore.remote.internal;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import org.atomstore.remote.S3Options;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Building S3 clients from {@link S3Options}, and turning SDK exceptions into IOExceptions that name the object. */
public final class S3Clients {
  private S3Clients() {}

  /** A client for {@code options}; the caller owns (closes) it. */
  public static S3Client create(S3Options options) {
    var b = S3Client.builder()
        // The URL-connection client, chosen explicitly: the SDK would refuse to pick when tests put others on the class path.
        .httpClient(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60))
            .build())
        .region(Region.of(region(options)))
        .credentialsProvider(credentials(options))
        .forcePathStyle(options.pathStyle())
        // Checksums only where the API requires them: S3-compatible stores do not all know the newer headers.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(options.maxAttempts())));
    if (options.endpoint() != null) b.endpointOverride(options.endpoint());
    return b.build();
  }

  private static String region(S3Options options) {
    if (options.region() != null) return options.region();
    if (options.endpoint() != null) return "us-east-1";
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (SdkException none) {
      return "us-east-1";
    }
  }

  private static AwsCredentialsProvider credentials(S3Options options) {
    if (options.accessKeyId() != null) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(options.accessKeyId(), options.secretAccessKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /** The SDK's failure of {@code operation} on {@code address} as an IOException (FileNotFound for 404). */
  public static IOException io(String operation, String address, SdkException e) {
    String detail;
    if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
      detail = "HTTP " + s3.statusCode() + " " + s3.awsErrorDetails().errorCode() + ": " + s3.awsErrorDetails().errorMessage();
    } else if (e instanceof SdkServiceException se) {
      detail = "HTTP " + se.statusCode() + ": " + e.getMessage();
    } else {
      detail = e.getMessage();
    }
    String msg = "S3 " + operation + " " + address + ": " + detail;
    if (e instanceof SdkServiceException se && se.statusCode() == 404) {
      FileNotFoundException f = new FileNotFoundException(msg);
      f.initCause(e);
      return f;
    }
    return new IOException(msg, e);
  }

  /** Whether the SDK failure is a 404 (no such key or bucket). */
  public static boolean notFound(SdkException e) {
    return e instanceof SdkServiceException se && se.statusCode() == 404;
  }
}
