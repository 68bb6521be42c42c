package dev.gradus.testserver.hapi;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.rest.server.RestfulServer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Entry point of the Gradus conformance-test server: a stock HAPI FHIR JPA server (R4, H2 in
 * memory) with its FHIR base at http://127.0.0.1:{port}/fhir.
 *
 * <p>Port and bind address come from application.properties (server.port = HAPI_PORT or 8090,
 * server.address = 127.0.0.1); {@code --server.port=NNNN} on the command line wins.
 */
// Boot auto-configures whatever it finds on the classpath; HAPI brings four things we do not use:
// - Elasticsearch client (Hibernate Search backend): would try localhost:9200; no full-text index here;
// - Flyway (HAPI's migration tool): the schema comes from Hibernate at start-up instead (JpaSetup);
// - Quartz: HAPI runs its own schedulers; Boot's would be an idle second one (11 threads);
// - Thymeleaf (HAPI's narrative templates): no web UI, only the FHIR API.
@SpringBootApplication(exclude = {
	ElasticsearchRestClientAutoConfiguration.class,
	FlywayAutoConfiguration.class,
	QuartzAutoConfiguration.class,
	ThymeleafAutoConfiguration.class
})
@Import({
	// The R4 DAOs, resource providers, FhirContext and the JPA server core (JpaConfig).
	JpaR4Config.class,
	// Paging provider, stale-search cleanup, resource-count cache, (disabled) full-text service.
	HapiJpaConfig.class,
	// Beans the core needs even though we serve no Subscriptions: channel factory,
	// thread pools, and the batch2 job framework ($reindex, $expunge, bulk export jobs).
	SubscriptionChannelConfig.class,
	ThreadPoolFactoryConfig.class,
	JpaBatch2Config.class,
	Batch2JobsConfig.class,
	// Our own beans (this package) are found by component scanning: JpaSetup, FhirServlet.
})
public class HapiTestServer {

	public static void main(String[] args) {
		SpringApplication.run(HapiTestServer.class, args);
	}

	/** Mounts HAPI's servlet under /fhir, so the FHIR base is {server}/fhir. */
	@Bean
	public ServletRegistrationBean<RestfulServer> fhirServletRegistration(RestfulServer restfulServer) {
		ServletRegistrationBean<RestfulServer> registration =
				new ServletRegistrationBean<>(restfulServer, "/fhir/*");
		// Initialise the servlet (scan providers, build the CapabilityStatement) at start-up
		// rather than on the first request, so "metadata answers 200" really means ready.
		registration.setLoadOnStartup(1);
		return registration;
	}
}
