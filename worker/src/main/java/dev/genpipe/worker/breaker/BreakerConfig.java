package dev.genpipe.worker.breaker;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BreakerSettings.class)
class BreakerConfig {
}
