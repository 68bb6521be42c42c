package dev.gradus.testserver.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import jakarta.persistence.EntityManagerFactory;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * Storage settings and JPA wiring. Everything not set here is HAPI's default on purpose: the
 * tests exist to see how a real server behaves.
 */
@Configuration
public class JpaSetup {

	@Bean
	public JpaStorageSettings storageSettings() {
		JpaStorageSettings settings = new JpaStorageSettings();
		// Clients may PUT any id, including purely numeric ones (default ALPHANUMERIC refuses
		// "123"), so test fixtures can choose their ids freely ...
		settings.setResourceClientIdStrategy(JpaStorageSettings.ClientIdStrategyEnum.ANY);
		// ... which HAPI only allows when the ids it assigns itself (POST) are UUIDs, so
		// server-assigned and client-assigned ids can never collide.
		settings.setResourceServerIdStrategy(JpaStorageSettings.IdStrategyEnum.UUID);
		// Tests clean up in any order; DELETE must not fail because something still points at
		// the resource. Referential integrity on write stays on (HAPI default).
		settings.setEnforceReferentialIntegrityOnDelete(false);
		return settings;
	}

	/** No partitioning (HAPI default); the bean itself is required by the JPA core. */
	@Bean
	public PartitionSettings partitionSettings() {
		return new PartitionSettings();
	}

	/** HAPI's entity manager over the Boot-configured H2 DataSource (see application.properties). */
	@Primary
	@Bean
	public LocalContainerEntityManagerFactoryBean entityManagerFactory(
			ConfigurableListableBeanFactory beanFactory,
			DataSource dataSource,
			FhirContext fhirContext,
			JpaStorageSettings storageSettings) {
		LocalContainerEntityManagerFactoryBean factory =
				HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
		factory.setPersistenceUnitName("HAPI_PU");
		factory.setDataSource(dataSource);
		Properties jpa = new Properties();
		// HAPI's own H2 dialect (sequence and index handling HAPI expects).
		jpa.put("hibernate.dialect", HapiFhirH2Dialect.class.getName());
		// Create the schema at start-up: the database is in memory and new on every run.
		jpa.put("hibernate.hbm2ddl.auto", "update");
		// No full-text index (Lucene/Elasticsearch): plain SQL search, as HAPI ships by default.
		jpa.put("hibernate.search.enabled", "false");
		jpa.put("hibernate.format_sql", "false");
		jpa.put("hibernate.show_sql", "false");
		factory.setJpaProperties(jpa);
		return factory;
	}

	@Primary
	@Bean
	public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
		return new JpaTransactionManager(entityManagerFactory);
	}
}
