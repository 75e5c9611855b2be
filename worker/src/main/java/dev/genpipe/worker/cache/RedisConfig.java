package dev.genpipe.worker.cache;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CacheSettings.class)
class RedisConfig {

    private static final Logger log = LoggerFactory.getLogger(RedisConfig.class);

    /** Lazily connected, so a worker starts (and processes jobs uncached) while Redis is down. */
    @Bean(destroyMethod = "shutdown")
    @ConditionalOnProperty(name = "genpipe.cache.redis-enabled", havingValue = "true", matchIfMissing = true)
    RedissonClient redisson(CacheSettings settings) {
        Config config = new Config();
        config.setLazyInitialization(true);
        SingleServerConfig server = config.useSingleServer()
                .setAddress("redis://" + settings.redisHost() + ":" + settings.redisPort())
                .setDatabase(settings.redisDb())
                .setConnectTimeout(2_000)
                .setTimeout(1_000)
                .setRetryAttempts(1);
        if (settings.redisPassword() != null && !settings.redisPassword().isEmpty()) {
            server.setPassword(settings.redisPassword());
        }
        log.info("result cache: Redis at {}:{}/{}", settings.redisHost(), settings.redisPort(), settings.redisDb());
        return Redisson.create(config);
    }
}
